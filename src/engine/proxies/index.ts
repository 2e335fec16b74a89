// Zero-cost proxies: scores of an untrained network, computed from one
// minibatch at initialisation, that rank architectures before training.
// Owns the choice of proxies and the weight bookkeeping around them.
import * as tf from '@tensorflow/tfjs';
import type { ProxyName } from '../../core/run/types';
import { architectureCost, validateArchitecture } from '../../core/space';
import type { Architecture, InputSpec, SearchSpace } from '../../core/space/types';
import { buildModel } from '../build';
import { countModelFlops } from '../modelFlops';
import type { LabelledTensors } from '../train';
import { gradientScores } from './gradients';
import { naswotScore } from './naswot';
import { synflowScore } from './synflow';

export { logAbsDeterminant } from './log-determinant';

/** Examples snip and grad_norm score: 64, the batch size Abdelfattah et al. (2021) used. */
export const PROXY_BATCH_SIZE = 64;

/** Examples NASWOT scores: 128, the batch size of the scoring commands of Mellor et al. (2021). */
export const NASWOT_BATCH_SIZE = 128;

/** Training images a caller passes to computeModelProxies, enough for every proxy. */
export const PROXY_IMAGES = Math.max(PROXY_BATCH_SIZE, NASWOT_BATCH_SIZE);

/** A score per requested proxy; higher predicts higher accuracy for every proxy. */
export type ProxyScores = Partial<Record<ProxyName, number>>;

export interface ModelProxyOptions {
  numClasses: number;
  /** Analytic params and FLOPs (multiply-accumulates) of the architecture; counted from the model when absent. */
  cost?: { params: number; flops: number };
}

/**
 * Computes the proxies `names` of an untrained `model` on `batch`, which
 * should hold PROXY_IMAGES examples (fewer are used as they are).
 * - synflow: Tanaka et al. (2020), see synflowScore. It uses no data.
 * - naswot: Mellor et al. (2021), log|K| of the ReLU codes of the first
 *   NASWOT_BATCH_SIZE examples.
 * - snip, grad_norm: from the cross-entropy gradients on the first
 *   PROXY_BATCH_SIZE examples, see gradientScores.
 * - params, flops: the baselines of Abdelfattah et al. (2021).
 * Weights, BatchNorm statistics included, are the same afterwards, so the
 * model can be trained next, and every temporary tensor is disposed.
 * Scores may be -Infinity (naswot with a singular kernel) or Infinity
 * (synflow overflowing float32).
 */
export async function computeModelProxies(
  model: tf.LayersModel,
  batch: LabelledTensors,
  names: readonly ProxyName[],
  options: ModelProxyOptions,
): Promise<ProxyScores> {
  const scores: ProxyScores = {};
  const requested = new Set(names);
  if (requested.has('synflow')) scores.synflow = await synflowScore(model);
  if (requested.has('naswot')) {
    const xs = leading(batch.xs, NASWOT_BATCH_SIZE);
    try {
      scores.naswot = await naswotScore(model, xs);
    } finally {
      if (xs !== batch.xs) xs.dispose();
    }
  }
  if (requested.has('snip') || requested.has('grad_norm')) {
    const gradientBatch = { xs: leading(batch.xs, PROXY_BATCH_SIZE), labels: leading(batch.labels, PROXY_BATCH_SIZE) };
    try {
      const gradients = await gradientScores(model, gradientBatch, options.numClasses);
      if (requested.has('snip')) scores.snip = gradients.snip;
      if (requested.has('grad_norm')) scores.grad_norm = gradients.gradNorm;
    } finally {
      if (gradientBatch.xs !== batch.xs) gradientBatch.xs.dispose();
      if (gradientBatch.labels !== batch.labels) gradientBatch.labels.dispose();
    }
  }
  // Fewer parameters and FLOPs predict nothing by themselves: the baselines
  // rank bigger networks higher, as Abdelfattah et al. score them.
  if (requested.has('params')) scores.params = options.cost?.params ?? model.countParams();
  if (requested.has('flops')) scores.flops = options.cost?.flops ?? countModelFlops(model);
  return scores;
}

/** Returns the first `count` examples of `tensor`, or `tensor` itself when it has no more. */
function leading<T extends tf.Tensor>(tensor: T, count: number): T {
  return tensor.shape[0] <= count ? tensor : (tf.slice(tensor, 0, count) as T);
}

/** The network whose proxies computeProxies scores. */
export interface ProxyCandidate {
  space: SearchSpace;
  arch: Architecture;
  input: InputSpec;
  /** Seed of the initial weights, as buildModel takes it. */
  seed: number;
}

/**
 * Builds the candidate with its seed, computes the proxies `names` on
 * `batch` (see computeModelProxies) and disposes the model. params and flops
 * come from the analytic cost model. Throws ValidationError for an
 * architecture that is invalid for the space.
 */
export async function computeProxies(
  candidate: ProxyCandidate,
  batch: LabelledTensors,
  names: readonly ProxyName[],
): Promise<ProxyScores> {
  const arch = validateArchitecture(candidate.space, candidate.arch);
  const cost = architectureCost(candidate.space, arch, candidate.input);
  const model = buildModel(candidate.space, arch, candidate.input, candidate.seed);
  try {
    return await computeModelProxies(model, batch, names, { numClasses: candidate.input.numClasses, cost });
  } finally {
    model.dispose();
  }
}

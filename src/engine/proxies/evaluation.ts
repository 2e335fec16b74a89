// The proxy step of a candidate's evaluation: scores the untrained model for
// the request's proxy and, in filter mode, turns a low score into a pruned
// result instead of training.
import * as tf from '@tensorflow/tfjs';
import { decideProxyFilter } from '../../core/run/proxy-config';
import type { EvaluationRequest, EvaluationResult, ProxyName } from '../../core/run/types';
import { architectureCost } from '../../core/space';
import type { LabelledTensors } from '../train';
import { computeModelProxies, PROXY_IMAGES } from './index';

/** Result of the proxy step. */
export interface ProxyStep {
  /** Finite scores, to store with the trial. */
  proxies: Partial<Record<ProxyName, number>>;
  /** The result to return without training, when the filter skips the candidate. */
  pruned?: EvaluationResult;
}

/**
 * Scores `model`, built but not trained, for `request.proxy` on the first
 * PROXY_IMAGES images of the training split (the same images for every
 * candidate of a run), and applies decideProxyFilter in mode 'filter'.
 * Returns undefined when the request has no proxy or resumes a checkpoint,
 * whose model was scored when it started. Leaves the model's weights as they were.
 */
export async function runProxyStep(
  model: tf.LayersModel,
  train: LabelledTensors,
  request: EvaluationRequest,
): Promise<ProxyStep | undefined> {
  const proxy = request.proxy;
  if (proxy === undefined || request.resumeFrom !== undefined) return undefined;
  const size = Math.min(PROXY_IMAGES, train.xs.shape[0]);
  const batch = { xs: tf.slice(train.xs, 0, size), labels: tf.slice(train.labels, 0, size) };
  let score: number;
  try {
    const cost = architectureCost(request.space, request.arch, request.input);
    const scores = await computeModelProxies(model, batch, [proxy.name], { numClasses: request.input.numClasses, cost });
    score = scores[proxy.name] as number;
  } finally {
    tf.dispose([batch.xs, batch.labels]);
  }

  const proxies = Number.isFinite(score) ? { [proxy.name]: score } : {};
  const decision = decideProxyFilter(proxy, score);
  if (decision.train) return { proxies };
  return { proxies, pruned: { status: 'pruned', curve: [], stopReason: decision.reason, proxies } };
}

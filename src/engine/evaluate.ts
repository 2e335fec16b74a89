// Evaluates one candidate end to end on the active backend: validate, build,
// train, score on validation and test images, measure latency and keep the
// trained model with reference predictions. Owns the tensor bookkeeping, so
// tf.memory().numTensors ends where it started on every path.
import * as tf from '@tensorflow/tfjs';
import type {
  BackendName,
  EvaluationProgress,
  EvaluationRequest,
  EvaluationResult,
  ReferencePredictions,
  SavedModel,
  TrialMetrics,
  CurvePoint,
} from '../core/run/types';
import { NasError, toPlainError } from '../core/errors';
import { architectureCost, validateArchitecture } from '../core/space';
import { createLogger } from '../core/log';
import { decideCurveStop } from '../core/estimation/curve-stop';
import { describeDevice } from './backend';
import { buildModel } from './build';
import { findCheckpointProblem } from './checkpoint';
import { imagePixels } from './data/tensors';
import { createSplitTensors, disposeSplitTensors, type DatasetTensorCache, type SplitTensors } from './data/pipeline';
import type { DatasetSplit, ImageDataset } from './data/mnist';
import { inheritWeights } from './inherit';
import { measureLatency } from './latency';
import { runProxyStep } from './proxies/evaluation';
import { computeAccuracy, trainModel, validateTrainingConfig, type LabelledTensors, type TrainOptions } from './train';

const log = createLogger('engine');

/** Test images whose predictions are kept with the model. */
export const REFERENCE_IMAGES = 10;

export interface EvaluationData {
  dataset: ImageDataset;
  /** Index arrays into `dataset`, e.g. from splitDataset(dataset, request.dataset). */
  split: DatasetSplit;
  /**
   * Keeps the split's tensors between candidates. Without it, each
   * evaluation builds the tensors and disposes them when it ends.
   */
  tensorCache?: DatasetTensorCache;
}

export interface EvaluationOptions {
  /** Aborting stops training between batches and rejects with NasError('cancelled'). */
  signal?: AbortSignal;
  onProgress?: (progress: EvaluationProgress) => void;
  /** The backend initBackend returned; recorded in the metrics. */
  backend: BackendName;
  /** Timed latency runs (default 30, after 5 warm-up runs). */
  latencyRuns?: number;
}

/**
 * Trains and measures `request.arch` on the active tfjs backend.
 * Never throws for a bad candidate. An invalid architecture or config, or an
 * error while building, training or measuring, returns status 'failed' with
 * the error. A diverging loss returns status 'diverged' with the curve so far.
 * Rejects only with NasError('cancelled') when `options.signal` aborts.
 */
export async function evaluateCandidate(
  request: EvaluationRequest,
  data: EvaluationData,
  options: EvaluationOptions,
): Promise<EvaluationResult> {
  const curve: CurvePoint[] = [];
  let owned: SplitTensors | null = null;
  let model: tf.LayersModel | null = null;
  let proxies: EvaluationResult['proxies'];
  try {
    throwIfCancelled(options.signal);
    const arch = validateArchitecture(request.space, request.arch);
    validateTrainingConfig(request.training);
    const flops = architectureCost(request.space, arch, request.input).flops;
    checkInputShape(data, request);
    let tensors: SplitTensors;
    if (data.tensorCache !== undefined) {
      tensors = data.tensorCache.get(data.dataset, data.split);
    } else {
      tensors = createSplitTensors(data.dataset, data.split);
      owned = tensors;
    }

    model = buildModel(request.space, arch, request.input, request.seed);
    // A checkpoint that cannot be restored costs a retraining, not the trial.
    let resumeFrom = request.resumeFrom;
    let restartReason: string | undefined;
    if (resumeFrom !== undefined) {
      const optimizerName = request.training.optimizer === 'adam' ? 'Adam' : 'Momentum';
      const problem = findCheckpointProblem(model, optimizerName, resumeFrom);
      if (problem !== undefined) {
        restartReason = `the checkpoint could not be restored (${problem}), so the trial trained from scratch`;
        log.warn(`trial ${request.trialId}: ${restartReason}`);
        resumeFrom = undefined;
      }
    }
    const restart = restartReason === undefined ? {} : { restartReason };
    const inherited = request.inheritFrom !== undefined && resumeFrom === undefined ? inheritWeights(model, request.inheritFrom) : undefined;
    const proxyStep = await runProxyStep(model, tensors.train, request);
    if (proxyStep?.pruned !== undefined) return proxyStep.pruned;
    proxies = proxyStep?.proxies;
    // NOTE: sampled after every batch, so a peak inside a batch's backward pass is missed.
    let peakMemoryBytes = tf.memory().numBytes;
    const trainStart = performance.now();
    const trained = await trainModel(model, tensors.train, tensors.validation, {
      config: request.training,
      numClasses: request.input.numClasses,
      seed: request.seed,
      signal: options.signal,
      stopAtEpoch: request.epochs,
      resumeFrom,
      returnCheckpoint: request.returnCheckpoint,
      stopRule: curveStopRule(request, data.split.validation.length),
      onProgress: (progress) => {
        peakMemoryBytes = Math.max(peakMemoryBytes, tf.memory().numBytes);
        options.onProgress?.({
          trialId: request.trialId,
          epoch: progress.epoch,
          fraction: progress.fraction,
          curve: progress.curve,
          backend: options.backend,
        });
      },
    });
    const trainMs = performance.now() - trainStart;
    curve.push(...trained.curve);
    if (trained.status === 'diverged') {
      return {
        status: 'diverged',
        curve,
        error: { code: 'evaluation_failed', message: 'training diverged: the loss became NaN, infinite or exploded; lower the learning rate' },
        stopReason: trained.stopReason,
        proxies,
        ...restart,
      };
    }
    if (trained.status === 'pruned') {
      // NOTE: a pruned trial gets no metrics, so it is neither tested nor timed and has no accuracy on the front.
      return { status: 'pruned', curve, stopReason: trained.stopReason, predictedAccuracy: trained.predictedAccuracy, proxies, ...restart };
    }

    throwIfCancelled(options.signal);
    const testAccuracy = await computeAccuracy(model, tensors.test, request.training.batchSize);
    const latency = await measureLatency(model, request.input.inputShape, { runs: options.latencyRuns });
    const maxLatencyMs = request.constraints.maxLatencyMs;
    const metrics: TrialMetrics = {
      validationAccuracy: trained.bestValidationAccuracy,
      testAccuracy,
      params: model.countParams(),
      flops,
      latency,
      // A resumed evaluation also counts the training time of the epochs before its checkpoint.
      trainMs: trainMs + (resumeFrom?.trainMs ?? 0),
      epochs: trained.epochs,
      backend: options.backend,
      device: describeDevice(),
      peakMemoryBytes,
      feasible: maxLatencyMs === undefined || latency.medianMs <= maxLatencyMs,
    };
    const reference = await referencePredictions(model, data, tensors.test);
    const saved = await saveModel(model);
    const result: EvaluationResult = { status: 'done', metrics, curve, model: saved, reference };
    if (trained.stopReason !== undefined) result.stopReason = trained.stopReason;
    if (trained.checkpoint !== undefined) result.checkpoint = trained.checkpoint;
    if (inherited !== undefined) result.inherited = inherited;
    if (proxies !== undefined) result.proxies = proxies;
    if (restartReason !== undefined) result.restartReason = restartReason;
    return result;
  } catch (error) {
    if (error instanceof NasError && error.code === 'cancelled') throw error;
    log.debug(`trial ${request.trialId} failed`, error);
    return { status: 'failed', curve, error: toPlainError(error), proxies };
  } finally {
    model?.dispose();
    if (owned !== null) disposeSplitTensors(owned);
  }
}

/**
 * Builds the training stop rule of `request.curveStop`, comparing the
 * extrapolated accuracy at training.epochs with the request's threshold.
 * Returns undefined when the request has no curve stop.
 */
function curveStopRule(request: EvaluationRequest, validationSize: number): TrainOptions['stopRule'] {
  const rule = request.curveStop;
  if (rule === undefined) return undefined;
  return (curve) => {
    const values = curve.map((point) => point.validationAccuracy);
    const decision = decideCurveStop(values, request.training.epochs, rule, validationSize);
    if (decision === undefined || !decision.stop) return undefined;
    return { reason: decision.reason as string, predictedAccuracy: decision.predictedAccuracy };
  };
}

function throwIfCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new NasError('cancelled', 'the evaluation was cancelled', { cause: signal.reason });
}

/** Throws NasError('invalid_config') when the request's input shape is not the dataset's image shape. */
function checkInputShape(data: EvaluationData, request: EvaluationRequest): void {
  const expected = request.input.inputShape;
  if (expected.some((dim, i) => dim !== data.dataset.shape[i])) {
    throw new NasError(
      'invalid_config',
      `input.inputShape ${JSON.stringify(expected)} does not match the dataset images ${JSON.stringify(data.dataset.shape)}: use the dataset's shape`,
    );
  }
}

/** Class probabilities of the trained model on the first REFERENCE_IMAGES test images. */
async function referencePredictions(
  model: tf.LayersModel,
  data: EvaluationData,
  test: LabelledTensors,
): Promise<ReferencePredictions> {
  const indices = data.split.test.slice(0, REFERENCE_IMAGES);
  if (indices.length === 0) return { pixels: [], labels: [], probabilities: [] };
  const probabilities = tf.tidy(() => model.predict(tf.slice(test.xs, 0, indices.length)) as tf.Tensor2D);
  try {
    return {
      pixels: indices.map((index) => imagePixels(data.dataset, index)),
      labels: indices.map((index) => data.dataset.labels[index]),
      probabilities: (await probabilities.array()) as number[][],
    };
  } finally {
    probabilities.dispose();
  }
}

/** Saves the model's tfjs Layers artifacts in memory, with the weights joined into one ArrayBuffer. */
async function saveModel(model: tf.LayersModel): Promise<SavedModel> {
  let saved: SavedModel | null = null;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      if (artifacts.modelTopology === undefined || artifacts.weightSpecs === undefined || artifacts.weightData === undefined) {
        throw new NasError('internal', 'model.save produced no topology or weights');
      }
      saved = {
        modelTopology: artifacts.modelTopology as object,
        weightSpecs: artifacts.weightSpecs.map(({ name, shape, dtype }) => ({ name, shape, dtype })),
        weightData: tf.io.CompositeArrayBuffer.join(artifacts.weightData),
      };
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    }),
  );
  if (saved === null) throw new NasError('internal', 'model.save did not call the save handler');
  return saved;
}

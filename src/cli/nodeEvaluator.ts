// An Evaluator that trains candidates in the CLI's own Node process with the
// engine on tfjs's cpu backend, one at a time, on MNIST read from
// public/data/mnist.bin.
import { toPlainError } from '../core/errors';
import { createLogger } from '../core/log';
import type {
  BackendName,
  DatasetConfig,
  EvaluationProgress,
  EvaluationRequest,
  EvaluationResult,
  Evaluator,
} from '../core/run/types';
import { evaluateCandidate, initBackend, splitDataset, type DatasetSplit, type ImageDataset } from '../engine';
import { loadMnistNode } from '../engine/data/mnistNode';

const log = createLogger('cli');

/** Settings of a NodeEvaluator. */
export interface NodeEvaluatorOptions {
  /** Path of the MNIST asset; the engine's default is public/data/mnist.bin of the checkout. */
  mnistPath?: string;
  /** Timed latency runs per candidate; the engine's default when undefined. */
  latencyRuns?: number;
}

/**
 * Trains each candidate in this process with evaluateCandidate. Concurrency
 * is 1 because tfjs trains on one backend per process. The backend is cpu:
 * the wasm backend of tfjs 4.22 has no Conv2DBackpropFilter kernel, so it
 * cannot train convolutions, and webgpu and webgl do not exist in Node.
 * The dataset is read on the first evaluation and kept, and so is the split
 * of the most recent dataset sizes.
 */
export class NodeEvaluator implements Evaluator {
  readonly concurrency = 1;
  /** Honours request.epochs and checkpoints, as evaluateCandidate does. */
  readonly epochFidelity = true;
  private readonly options: NodeEvaluatorOptions;
  private backend: Promise<BackendName> | undefined;
  private dataset: Promise<ImageDataset> | undefined;
  private split: { key: string; split: DatasetSplit } | undefined;

  constructor(options: NodeEvaluatorOptions = {}) {
    this.options = options;
  }

  /** Trains and measures one candidate; rejects with NasError('cancelled') only when `signal` aborts. */
  async evaluate(
    request: EvaluationRequest,
    signal: AbortSignal,
    onProgress?: (progress: EvaluationProgress) => void,
  ): Promise<EvaluationResult> {
    signal.throwIfAborted();
    let backend: BackendName;
    let dataset: ImageDataset;
    let split: DatasetSplit;
    try {
      [backend, dataset] = await this.prepare();
      split = this.splitFor(dataset, request.dataset);
    } catch (error) {
      return { status: 'failed', curve: [], error: toPlainError(error) };
    }

    log.debug(`training trial ${request.trialId} on ${split.train.length} images`);
    return evaluateCandidate(request, { dataset, split }, { signal, onProgress, backend, latencyRuns: this.options.latencyRuns });
  }

  /**
   * Initialises the cpu backend and reads the MNIST asset, once. Call it
   * before a search so a missing asset fails the command instead of every trial.
   * @throws NasError('not_found') when the asset is missing: run `npm run data`.
   */
  async prepare(): Promise<[BackendName, ImageDataset]> {
    this.backend ??= initBackend('cpu');
    this.dataset ??= loadMnistNode(this.options.mnistPath);
    return Promise.all([this.backend, this.dataset]);
  }

  private splitFor(dataset: ImageDataset, sizes: DatasetConfig): DatasetSplit {
    const key = `${sizes.trainSize}/${sizes.validationSize}/${sizes.testSize}`;
    if (this.split?.key !== key) this.split = { key, split: splitDataset(dataset, sizes) };
    return this.split.split;
  }
}

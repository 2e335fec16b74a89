// An Evaluator that trains candidates in the CLI's own Node process with the
// engine, one at a time, on MNIST read from public/data/mnist.bin. For 'auto'
// the backend is the faster of cpu and wasm by the engine's probe.
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
import { BackendSession, DatasetTensorCache, splitDataset, type DatasetSplit, type ImageDataset } from '../engine';
import { loadMnistNode } from '../engine/data/mnistNode';

const log = createLogger('cli');

/** Settings of a NodeEvaluator. */
export interface NodeEvaluatorOptions {
  /** Path of the MNIST asset; the engine's default is public/data/mnist.bin of the checkout. */
  mnistPath?: string;
  /** Timed latency runs per candidate; the engine's default when undefined. */
  latencyRuns?: number;
  /** 'auto' probes cpu and wasm and trains on the faster that passes; default 'auto'. */
  backend?: 'auto' | 'cpu' | 'wasm';
}

/**
 * Trains each candidate in this process through a BackendSession, so a
 * failure on wasm falls back to cpu as in a browser worker. Concurrency is 1
 * because tfjs trains on one backend per process, and webgpu and webgl do
 * not exist in Node. The dataset is read on the first evaluation and kept,
 * and so are the split of the most recent dataset sizes and its tensors.
 */
export class NodeEvaluator implements Evaluator {
  readonly concurrency = 1;
  /** Honours request.epochs and checkpoints, as evaluateCandidate does. */
  readonly epochFidelity = true;
  private readonly options: NodeEvaluatorOptions;
  private session: Promise<BackendSession> | undefined;
  private readonly tensorCache = new DatasetTensorCache();
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
    let session: BackendSession;
    let dataset: ImageDataset;
    let split: DatasetSplit;
    try {
      [session, dataset] = await Promise.all([this.startSession(), this.loadDataset()]);
      split = this.splitFor(dataset, request.dataset);
    } catch (error) {
      return { status: 'failed', curve: [], error: toPlainError(error) };
    }

    log.debug(`training trial ${request.trialId} on ${split.train.length} images with ${session.active}`);
    return session.evaluate(
      request,
      { dataset, split, tensorCache: this.tensorCache },
      { signal, onProgress, latencyRuns: this.options.latencyRuns },
    );
  }

  /**
   * Chooses the backend (probing for 'auto') and reads the MNIST asset,
   * once, and returns the chosen backend and the dataset. Call it before a
   * search so a missing asset fails the command instead of every trial.
   * @throws NasError('not_found') when the asset is missing: run `npm run data`.
   */
  async prepare(): Promise<[BackendName, ImageDataset]> {
    const [session, dataset] = await Promise.all([this.startSession(), this.loadDataset()]);
    return [session.active, dataset];
  }

  /** Releases the cached dataset tensors. */
  dispose(): void {
    this.tensorCache.dispose();
  }

  private startSession(): Promise<BackendSession> {
    this.session ??= BackendSession.create(this.options.backend ?? 'auto', { probeBackends: ['cpu', 'wasm'] });
    return this.session;
  }

  private loadDataset(): Promise<ImageDataset> {
    this.dataset ??= loadMnistNode(this.options.mnistPath);
    return this.dataset;
  }

  private splitFor(dataset: ImageDataset, sizes: DatasetConfig): DatasetSplit {
    const key = `${sizes.trainSize}/${sizes.validationSize}/${sizes.testSize}`;
    if (this.split?.key !== key) this.split = { key, split: splitDataset(dataset, sizes) };
    return this.split.split;
  }
}

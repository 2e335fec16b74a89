// Test fixture: an Evaluator with an epoch fidelity whose validation
// accuracy is quality(hash) * epochs / (epochs + 1), so the ranking at every
// rung is the ranking by quality and the best architecture is known.
import { NasError } from '../errors';
import { Random } from '../random';
import { architectureCost, hashArchitecture } from '../space';
import { MemoryStore, unitHash } from './fakes.fixture';
import type { EvaluationRequest, EvaluationResult, Evaluator, TrainingCheckpoint } from './types';

/** Quality in [0, 1) of an architecture hash: its accuracy after infinitely many epochs. */
export function quality(hash: string): number {
  return unitHash(`quality:${hash}`);
}

/** One evaluate call as the fixture saw it. */
export interface RungCall {
  hash: string;
  epochs: number;
  /** Epoch of the checkpoint it resumed from; 0 when it trained from scratch. */
  resumedFrom: number;
}

export interface RungEvaluatorOptions {
  concurrency: number;
  /** Seed of random delays of 0-4 ms per evaluation; no delay when absent. */
  delaySeed?: number;
  /** Hashes whose evaluation returns status 'failed'. */
  fails?: (hash: string) => boolean;
}

/** Evaluator with an epoch fidelity that returns and accepts checkpoints. */
export class RungEvaluator implements Evaluator {
  readonly concurrency: number;
  readonly epochFidelity = true;
  readonly calls: RungCall[] = [];
  private readonly delays: Random | undefined;

  constructor(private readonly options: RungEvaluatorOptions) {
    this.concurrency = options.concurrency;
    this.delays = options.delaySeed === undefined ? undefined : new Random(options.delaySeed);
  }

  async evaluate(request: EvaluationRequest, signal: AbortSignal): Promise<EvaluationResult> {
    const hash = hashArchitecture(request.space, request.arch);
    const epochs = request.epochs ?? request.training.epochs;
    const resumedFrom = request.resumeFrom?.epoch ?? 0;
    this.calls.push({ hash, epochs, resumedFrom });
    await this.delay(signal);
    if (this.options.fails?.(hash)) {
      return { status: 'failed', curve: [], error: { code: 'evaluation_failed', message: `fake failure of ${hash}` } };
    }

    const accuracyAt = (epoch: number): number => (quality(hash) * epoch) / (epoch + 1);
    const curve = Array.from({ length: epochs }, (_, i) => ({
      epoch: i,
      loss: 1 - accuracyAt(i + 1),
      trainAccuracy: accuracyAt(i + 1),
      validationAccuracy: accuracyAt(i + 1),
    }));
    const validationAccuracy = accuracyAt(epochs);
    const cost = architectureCost(request.space, request.arch, request.input);
    const result: EvaluationResult = {
      status: 'done',
      curve,
      model: { modelTopology: { hash, epochs }, weightSpecs: [], weightData: new ArrayBuffer(4) },
      metrics: {
        validationAccuracy,
        testAccuracy: validationAccuracy,
        params: cost.params,
        flops: cost.flops,
        latency: { medianMs: cost.params / 1000, p90Ms: cost.params / 900, runs: 5 },
        trainMs: epochs - resumedFrom,
        epochs,
        backend: 'cpu',
        device: 'fake',
        feasible: true,
      },
    };
    if (request.returnCheckpoint) result.checkpoint = fakeCheckpoint(epochs, curve);
    return result;
  }

  private delay(signal: AbortSignal): Promise<void> {
    const delay = this.delays?.int(5) ?? 0;
    if (delay === 0) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const cancel = (): void => reject(new NasError('cancelled', 'evaluation cancelled'));
      if (signal.aborted) return cancel();
      signal.addEventListener('abort', cancel, { once: true });
      setTimeout(() => {
        signal.removeEventListener('abort', cancel);
        resolve();
      }, delay);
    });
  }
}

function fakeCheckpoint(epoch: number, curve: TrainingCheckpoint['curve']): TrainingCheckpoint {
  const empty = { specs: [], data: new ArrayBuffer(0) };
  return {
    epoch,
    weights: empty,
    optimizer: empty,
    optimizerName: 'Adam',
    bestValidationAccuracy: curve.at(-1)?.validationAccuracy ?? 0,
    epochsSinceBest: 0,
    firstLoss: curve[0]?.loss ?? null,
    curve,
    trainMs: epoch,
  };
}

/** MemoryStore that also keeps checkpoints, as the CLI's file store does. */
export class CheckpointStore extends MemoryStore {
  readonly checkpoints = new Map<string, TrainingCheckpoint>();

  async saveCheckpoint(trialId: string, checkpoint: TrainingCheckpoint): Promise<void> {
    this.calls.push(`checkpoint ${trialId} ${checkpoint.epoch}`);
    this.checkpoints.set(trialId, structuredClone(checkpoint));
  }

  async loadCheckpoint(trialId: string): Promise<TrainingCheckpoint | undefined> {
    return structuredClone(this.checkpoints.get(trialId));
  }

  async deleteCheckpoint(trialId: string): Promise<void> {
    this.checkpoints.delete(trialId);
  }
}

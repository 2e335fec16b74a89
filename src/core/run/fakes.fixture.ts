// Test fixture: an in-memory RunStore and a fake Evaluator whose metrics are
// a deterministic function of the architecture hash and the trial seed, with
// optional random delays, failures and evaluations that wait to be released.
import { NasError } from '../errors';
import { Random } from '../random';
import { architectureCost, hashArchitecture } from '../space';
import type { RunStore } from './store';
import type {
  EvaluationRequest,
  EvaluationResult,
  Evaluator,
  ReferencePredictions,
  RunConfig,
  RunRecord,
  SavedModel,
  Trial,
} from './types';

/** Returns a number in [0, 1) that depends only on `text` (FNV-1a). */
export function unitHash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return (h >>> 0) / 4294967296;
}

/** RunStore in memory; `calls` lists every write in order, e.g. `trial run-trial-3 done`. */
export class MemoryStore implements RunStore {
  readonly runs = new Map<string, RunRecord>();
  readonly trials = new Map<string, Trial>();
  readonly models = new Map<string, SavedModel>();
  readonly calls: string[] = [];

  async saveRun(record: RunRecord): Promise<void> {
    this.calls.push(`run ${record.id} ${record.status}`);
    this.runs.set(record.id, structuredClone(record));
  }

  async saveTrial(trial: Trial): Promise<void> {
    this.calls.push(`trial ${trial.id} ${trial.status}`);
    this.trials.set(trial.id, structuredClone(trial));
  }

  async saveModel(trialId: string, model: SavedModel, _reference?: ReferencePredictions): Promise<void> {
    this.calls.push(`model ${trialId}`);
    this.models.set(trialId, model);
  }

  /** Stored trials of a run, by index. */
  trialsOf(runId: string): Trial[] {
    return [...this.trials.values()].filter((trial) => trial.runId === runId).sort((a, b) => a.index - b.index);
  }
}

export interface FakeEvaluatorOptions {
  concurrency: number;
  /** Seed of random delays of 0-4 ms per evaluation; no delay when absent. */
  delaySeed?: number;
  /** Hashes for which evaluation returns status 'failed'. */
  fails?: (hash: string) => boolean;
  /** When true, evaluations wait until release() or the abort signal. */
  hold?: boolean;
}

/** Evaluator whose validation accuracy is unitHash(hash + seed) and latency params / 1000 ms. */
export class FakeEvaluator implements Evaluator {
  readonly concurrency: number;
  /** Hashes in the order evaluate was called. */
  readonly evaluated: string[] = [];
  private readonly options: FakeEvaluatorOptions;
  private readonly delays: Random | undefined;
  private readonly held: (() => void)[] = [];
  private running = 0;
  maxRunning = 0;

  constructor(options: FakeEvaluatorOptions) {
    this.options = options;
    this.concurrency = options.concurrency;
    this.delays = options.delaySeed === undefined ? undefined : new Random(options.delaySeed);
  }

  /** Evaluations currently waiting in hold mode. */
  get waiting(): number {
    return this.held.length;
  }

  /** Lets every held evaluation finish. */
  release(): void {
    for (const resume of this.held.splice(0)) resume();
  }

  async evaluate(request: EvaluationRequest, signal: AbortSignal): Promise<EvaluationResult> {
    const hash = hashArchitecture(request.space, request.arch);
    this.evaluated.push(hash);
    this.running++;
    this.maxRunning = Math.max(this.maxRunning, this.running);
    try {
      await this.wait(signal);
    } finally {
      this.running--;
    }
    if (this.options.fails?.(hash)) {
      return { status: 'failed', curve: [], error: { code: 'evaluation_failed', message: `fake failure of ${hash}` } };
    }

    const cost = architectureCost(request.space, request.arch, request.input);
    const validationAccuracy = unitHash(`${hash}:${request.seed}`);
    const model: SavedModel = { modelTopology: { hash }, weightSpecs: [], weightData: new ArrayBuffer(0) };
    return {
      status: 'done',
      curve: [{ epoch: 1, loss: 1 - validationAccuracy, trainAccuracy: validationAccuracy, validationAccuracy }],
      model,
      metrics: {
        validationAccuracy,
        testAccuracy: validationAccuracy,
        params: cost.params,
        flops: cost.flops,
        latency: { medianMs: cost.params / 1000, p90Ms: cost.params / 900, runs: 5 },
        trainMs: 1,
        epochs: request.training.epochs,
        backend: 'cpu',
        device: 'fake',
        feasible: true,
      },
    };
  }

  private wait(signal: AbortSignal): Promise<void> {
    const delay = this.delays?.int(5) ?? 0;
    if (!this.options.hold && delay === 0) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const cancel = (): void => reject(new NasError('cancelled', 'evaluation cancelled'));
      if (signal.aborted) return cancel();
      signal.addEventListener('abort', cancel, { once: true });
      const done = (): void => {
        signal.removeEventListener('abort', cancel);
        resolve();
      };
      if (this.options.hold) this.held.push(done);
      else setTimeout(done, delay);
    });
  }
}

/** Returns a new run record for `config` with empty state. */
export function newRecord(config: RunConfig, id = 'run'): RunRecord {
  return {
    id,
    config,
    status: 'running',
    createdAt: 0,
    updatedAt: 0,
    state: { toldCount: 0, strategyState: null, proposedCount: 0, hypervolume: [] },
  };
}

/** The fields of a trial that must not depend on timing or interruptions. */
export function trialSummary(trial: Trial): string {
  const accuracy = trial.metrics?.validationAccuracy.toFixed(6) ?? '-';
  return `${trial.index} ${trial.hash} ${trial.seed} ${trial.status} ${accuracy}`;
}

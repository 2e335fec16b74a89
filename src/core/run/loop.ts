// The run loop: asks the strategy for candidates, rejects those that break
// analytic constraints, evaluates new architectures in parallel, persists
// every step, tells results back in proposal order, and resumes or stops.
import { NasError, toPlainError } from '../errors';
import { createLogger } from '../log';
import { hashArchitecture } from '../space';
import type { Architecture, InputSpec } from '../space/types';
import { createStrategy, type Strategy } from '../strategy';
import { checkFeasibility, datasetInputSpec, validateRunConfig } from './config';
import { chooseReferenceCost, computeFront, trialsHypervolume } from './front';
import {
  analyticCost,
  breaksAnalyticConstraints,
  isFinished,
  MAX_WASTED_PROPOSALS,
  observationFor,
} from './proposals';
import { InFlightEvaluations } from './in-flight';
import { WeightInheritance } from './inheritance';
import { ScheduledTrials } from './scheduled-trials';
import { predictorFilterResult } from '../estimation/run-estimation';
import { buildEvaluationRequest } from './evaluation-request';
import { progressEvent } from './progress';
import type { RunEvent, RunStore } from './store';
import { applyEvaluationResult, createTrial, resetToQueued, trialId } from './trial-records';
import type {
  EvaluationProgress,
  EvaluationResult,
  Evaluator,
  RunConfig,
  RunLoopState,
  RunRecord,
  RunStatus,
  Trial,
} from './types';

export { computeFront, trialCost, trialPoints } from './front';
export type { RunEvent, RunStore } from './store';
export { trialId } from './trial-records';

const log = createLogger('run');

export interface RunSearchOptions {
  /** A new run (state.strategyState null or undefined) or a stored one to resume. */
  record: RunRecord;
  /** The run's stored trials; empty for a new run. */
  trials: Trial[];
  evaluator: Evaluator;
  store: RunStore;
  /** Aborting stops the run: in-flight evaluations are cancelled and their trials queued again. */
  signal: AbortSignal;
  onEvent?: (event: RunEvent) => void;
  /** Clock in milliseconds, for timestamps and the ETA; Date.now by default. */
  now?: () => number;
}

/**
 * Runs (or resumes) a search until the budget is spent, the strategy has
 * nothing new to propose, the signal aborts or an error occurs. Resolves
 * with the final record, whose status is 'completed', 'stopped' or 'failed'
 * (with `message`). It never rejects: store and strategy errors fail the run.
 *
 * Determinism: proposal of trial i happens only after trials 0..i-workers
 * have been told, and tells happen in proposal order (early results wait in
 * a buffer). The window is `config.workers`, not the evaluator's
 * concurrency, so the architectures, and with per-trial seeds
 * deriveSeed(seed, 'trial', i) the metrics, do not depend on timing or on
 * the machine that resumes the run.
 */
export async function runSearch(options: RunSearchOptions): Promise<RunRecord> {
  return new SearchLoop(options).run();
}

class SearchLoop {
  private readonly record: RunRecord;
  private readonly evaluator: Evaluator;
  private readonly store: RunStore;
  private readonly signal: AbortSignal;
  private readonly emitEvent: (event: RunEvent) => void;
  private readonly now: () => number;
  private readonly startedAt: number;
  /** Wall-clock time the run spent in earlier sessions, before a resume, milliseconds. */
  private readonly earlierSessionsMs: number;

  private readonly trials = new Map<number, Trial>();
  private readonly trialByHash = new Map<string, number>();
  private readonly evaluations: InFlightEvaluations;

  private config!: RunConfig;
  private strategy!: Strategy;
  private loop: RunLoopState = { pending: [], proposals: 0, wastedInARow: 0 };
  private finished = 0;
  private lastFront = '';
  /** Input of the evaluated networks, for analytic costs and constraints. */
  private input!: InputSpec;
  /** Rung scheduling when the config has `estimation.scheduler`. */
  private rungs: ScheduledTrials | undefined;
  /** Parents' weights for mutated children when the config has `estimation.weightInheritance`. */
  private inheritance: WeightInheritance | undefined;

  constructor(options: RunSearchOptions) {
    this.record = structuredClone(options.record);
    this.evaluator = options.evaluator;
    this.evaluations = new InFlightEvaluations(options.evaluator);
    this.store = options.store;
    this.signal = options.signal;
    this.emitEvent = options.onEvent ?? (() => {});
    this.now = options.now ?? Date.now;
    this.startedAt = this.now();
    if (this.record.state.loop !== undefined) this.loop = this.record.state.loop;
    this.earlierSessionsMs = this.loop.elapsedMs ?? 0;
    for (const trial of options.trials) {
      if (trial.index < this.record.state.proposedCount) this.trials.set(trial.index, structuredClone(trial));
    }
  }

  async run(): Promise<RunRecord> {
    try {
      this.config = validateRunConfig(this.record.config);
    } catch (error) {
      return this.end('failed', `invalid run config: ${toPlainError(error).message}`);
    }
    this.input = this.evaluator.inputSpec ?? datasetInputSpec(this.config.dataset);
    const infeasible = checkFeasibility(this.config, this.input);
    if (infeasible !== undefined) return this.end('failed', infeasible.message);
    if (this.config.estimation?.scheduler !== undefined) {
      if (this.evaluator.epochFidelity !== true) {
        return this.end(
          'failed',
          `estimation.scheduler needs an evaluator that trains for a given number of epochs, and this one has no such fidelity (a benchmark table, for example): remove the scheduler`,
        );
      }
      this.rungs = new ScheduledTrials(this.config, this.store);
    }
    if (this.config.estimation?.weightInheritance === true) this.inheritance = new WeightInheritance(this.store);

    const abort = (): void => this.evaluations.cancel();
    this.signal.addEventListener('abort', abort);
    try {
      await this.restore();
      await this.search();
    } catch (error) {
      log.error(`run ${this.record.id} failed`, error);
      return this.fail(error);
    } finally {
      this.signal.removeEventListener('abort', abort);
    }

    if (this.signal.aborted) {
      await this.cancelInFlight();
      return this.end('stopped', `stopped after ${this.finished} of ${this.config.budget} trials: resume the run to continue`);
    }
    return this.end('completed', this.loop.proposalsEndedReason);
  }

  /** Rebuilds the strategy, the queue and the hash index from the record and stored trials. */
  private async restore(): Promise<void> {
    const state = this.record.state;
    const fresh = state.strategyState === null || state.strategyState === undefined;
    const context = { space: this.config.space, seed: this.config.seed, costObjective: this.config.costObjective };
    this.strategy = createStrategy(this.config.strategy, context, fresh ? undefined : state.strategyState);

    for (const trial of [...this.trials.values()].sort((a, b) => a.index - b.index)) {
      this.trialByHash.set(trial.hash, trial.index);
      if (isFinished(trial)) this.finished++;
    }
    // A trial still marked running was cut off (closed page, crash), so it is evaluated again.
    for (const trial of this.trials.values()) {
      if (trial.status === 'running') await this.requeue(trial);
    }
    // A stop may have come between a rung's last result and its ranking.
    await this.applyRungDecisions();

    this.record.status = 'running';
    this.record.message = undefined;
    await this.saveRun();
    this.emit({ type: 'status', status: 'running' });
    this.emitProgress();
  }

  private async search(): Promise<void> {
    for (;;) {
      if (this.signal.aborted) return;
      await this.processSettled();
      await this.propose();
      await this.applyRungDecisions();
      if (await this.tellNext()) continue;
      await this.startEvaluations();
      if (this.signal.aborted) return;

      if (this.evaluations.idle) {
        if (this.loop.pending.length === 0) return;
        throw new NasError(
          'internal',
          `the run loop is waiting for trial results but no evaluation is running (evaluator concurrency ${this.evaluator.concurrency})`,
        );
      }
      await this.evaluations.waitForSettlement();
    }
  }

  /**
   * Asks the strategy until `workers` trials are proposed but not told, or
   * the budget is proposed. With a scheduler the limit reaches at least the
   * end of the oldest untold trial's bracket.
   */
  private async propose(): Promise<void> {
    const state = this.record.state;
    const limit = (): number =>
      this.rungs === undefined
        ? state.toldCount + this.config.workers
        : this.rungs.scheduler.proposalLimit(state.toldCount, this.config.workers, this.config.budget);
    while (
      !this.signal.aborted &&
      this.loop.proposalsEndedReason === undefined &&
      state.proposedCount < this.config.budget &&
      state.proposedCount < limit()
    ) {
      const wanted = Math.min(limit() - state.proposedCount, this.config.budget - state.proposedCount);
      const archs = (await this.strategy.ask(wanted)).slice(0, wanted);
      if (archs.length === 0) {
        this.loop.proposalsEndedReason = `the strategy proposed no new architecture after ${state.proposedCount} trials, so the space is probably exhausted`;
      }
      for (const arch of archs) await this.addProposal(arch);
      if (this.loop.wastedInARow >= MAX_WASTED_PROPOSALS && this.loop.proposalsEndedReason === undefined) {
        this.loop.proposalsEndedReason = `the strategy proposed ${this.loop.wastedInARow} architectures in a row that broke maxParams/maxFlops or were already evaluated: loosen the constraints or enlarge the space`;
      }
      state.strategyState = this.strategy.getState();
      await this.saveRun();
    }
  }

  private async addProposal(arch: Architecture): Promise<void> {
    const space = this.config.space;
    const proposal = this.loop.proposals++;
    const hash = hashArchitecture(space, arch);

    if (breaksAnalyticConstraints(space, arch, this.config.constraints, this.input)) {
      const cost = analyticCost(space, arch, this.config.costObjective, this.input);
      this.loop.pending.push({ proposal, kind: 'rejected', arch, hash, cost });
      this.loop.wastedInARow++;
      return;
    }
    const earlier = this.trialByHash.get(hash);
    if (earlier !== undefined) {
      this.loop.pending.push({ proposal, kind: 'duplicate', trialIndex: earlier, arch, hash });
      this.loop.wastedInARow++;
      return;
    }

    const index = this.record.state.proposedCount++;
    const trial = createTrial(this.record, this.config, index, arch, hash);
    this.rungs?.initialise(trial);
    this.inheritance?.link(trial, this.strategy, (parentHash) => {
      const parentIndex = this.trialByHash.get(parentHash);
      return parentIndex === undefined ? undefined : trialId(this.record.id, parentIndex);
    });
    this.trials.set(index, trial);
    this.trialByHash.set(hash, index);
    this.loop.pending.push({ proposal, kind: 'trial', trialIndex: index });
    this.loop.wastedInARow = 0;
    await this.store.saveTrial(structuredClone(trial));
    this.emit({ type: 'trial-updated', trial });
  }

  /** Tells the oldest pending proposal when its result is known; returns whether it did. */
  private async tellNext(): Promise<boolean> {
    const entry = this.loop.pending[0];
    if (entry === undefined) return false;
    const observation = observationFor(entry, this.trials, this.config.space, this.config.costObjective, this.input);
    if (observation === undefined) return false;

    await this.strategy.tell([observation]);
    this.loop.pending.shift();
    if (entry.kind === 'trial') this.record.state.toldCount++;
    this.record.state.strategyState = this.strategy.getState();
    await this.saveRun();
    return true;
  }

  /** Starts queued trials, lowest index first, while the evaluator has free capacity. */
  private async startEvaluations(): Promise<void> {
    const capacity = Math.max(1, this.evaluator.concurrency);
    for (const entry of this.loop.pending) {
      if (this.evaluations.runningCount >= capacity || this.signal.aborted) return;
      if (entry.kind !== 'trial') continue;
      const trial = this.trials.get(entry.trialIndex as number) as Trial;
      if (trial.status === 'queued' && !ScheduledTrials.isWaiting(trial) && !this.evaluations.isRunning(trial.index)) {
        await this.start(trial);
      }
    }
  }

  private async start(trial: Trial): Promise<void> {
    const skipped = predictorFilterResult(this.config, this.trials.values(), trial);
    if (skipped !== undefined) {
      // Not trained: the pruned result is recorded like any other settlement.
      this.evaluations.addSettled({ index: trial.index, result: skipped });
      return;
    }
    const request = await buildEvaluationRequest(this.config, this.input, this.trials, trial, this.rungs, this.inheritance);
    trial.status = 'running';
    trial.startedAt = this.now();
    await this.store.saveTrial(structuredClone(trial));
    this.emit({ type: 'trial-updated', trial });

    const onProgress = (progress: EvaluationProgress): void => {
      if (this.evaluations.cancelled || trial.status !== 'running') return;
      trial.curve = progress.curve;
      if (progress.workerId !== undefined) trial.workerId = progress.workerId;
      this.emit({ type: 'trial-updated', trial, progress });
    };
    this.evaluations.start(trial.index, request, onProgress);
  }

  /** Persists finished evaluations, or queues again those cancelled by a stop. */
  private async processSettled(): Promise<void> {
    for (;;) {
      const settlement = this.evaluations.takeSettled();
      if (settlement === undefined) return;
      const { index, result, error } = settlement;
      const trial = this.trials.get(index) as Trial;
      if (result === undefined && this.evaluations.cancelled) {
        await this.requeue(trial);
        continue;
      }
      if (result === undefined) {
        // The Evaluator contract says it rejects only on abort; anything else
        // is a failed candidate, which must not stop the run.
        log.warn(`evaluation of trial ${trial.id} rejected; recording it as failed`, error);
      }
      await this.finish(trial, result ?? { status: 'failed', curve: trial.curve, error: toPlainError(error) });
    }
  }

  private async finish(trial: Trial, result: EvaluationResult): Promise<void> {
    applyEvaluationResult(trial, result, this.config.constraints, this.now());
    this.inheritance?.record(trial, result);

    if (this.rungs !== undefined && (await this.rungs.recordResult(trial, result)) === 'waiting') {
      // The model of every rung is kept, because the trial may stop at this one.
      if (result.model !== undefined) await this.saveModel(trial.id, result);
      await this.store.saveTrial(structuredClone(trial));
      this.emit({ type: 'trial-updated', trial });
      this.emitProgress();
      await this.applyRungDecisions();
      return;
    }
    await this.complete(trial, result);
  }

  /** Promotes or stops the trials of every rung that can be ranked now. */
  private async applyRungDecisions(): Promise<void> {
    if (this.rungs === undefined) return;
    const ended = this.loop.proposalsEndedReason !== undefined;
    for (const decision of this.rungs.decide(this.trials.values(), this.record.state.proposedCount, ended)) {
      const trial = this.trials.get(decision.index) as Trial;
      if (decision.promote) {
        this.rungs.promote(trial);
        await this.store.saveTrial(structuredClone(trial));
        this.emit({ type: 'trial-updated', trial });
      } else {
        await this.rungs.stop(trial);
        await this.complete(trial, { status: 'done', curve: trial.curve });
      }
    }
  }

  /** Saves a trial that reached its final status and updates the counters, the hypervolume and the front. */
  private async complete(trial: Trial, result: EvaluationResult): Promise<void> {
    if (trial.status === 'done' && result.model !== undefined) {
      await this.saveModel(trial.id, result);
    }
    await this.store.saveTrial(structuredClone(trial));
    this.finished++;

    const all = [...this.trials.values()];
    // NOTE: for latency without maxLatencyMs, the reference comes from the
    // first done trial to arrive, which with several workers depends on
    // timing. The trials do not depend on it, but the hypervolume values do.
    if (this.loop.referenceCost === undefined) {
      this.loop.referenceCost = chooseReferenceCost(
        this.config,
        trial.status === 'done' ? trial : undefined,
        this.input,
      );
    }
    const value = trialsHypervolume(all, this.config.costObjective, this.loop.referenceCost);
    this.record.state.hypervolume.push({ trials: this.finished, value });
    await this.saveRun();

    this.emit({ type: 'trial-updated', trial });
    this.emitProgress();
    const front = computeFront(all, this.config.costObjective).map((point) => point.id);
    const key = `${front.join(',')}|${value}`;
    if (key !== this.lastFront) {
      this.lastFront = key;
      this.emit({ type: 'front-changed', front, hypervolume: value });
    }
  }

  private async saveModel(trialId: string, result: EvaluationResult): Promise<void> {
    const model = result.model as NonNullable<EvaluationResult['model']>;
    await this.store.saveModel(trialId, model, result.reference);
    this.inheritance?.remember(trialId, model);
  }

  private async requeue(trial: Trial): Promise<void> {
    resetToQueued(trial);
    await this.store.saveTrial(structuredClone(trial));
    this.emit({ type: 'trial-updated', trial });
  }

  /** Cancels in-flight evaluations, waits for them to settle and persists the outcome. */
  private async cancelInFlight(): Promise<void> {
    await this.evaluations.cancelAndWait();
    await this.processSettled();
  }

  private async fail(error: unknown): Promise<RunRecord> {
    try {
      await this.cancelInFlight();
    } catch (cleanupError) {
      log.error(`run ${this.record.id}: could not requeue cancelled trials`, cleanupError);
    }
    return this.end('failed', `the run failed: ${toPlainError(error).message}`);
  }

  private async end(status: RunStatus, message?: string): Promise<RunRecord> {
    this.record.status = status;
    this.record.message = message;
    try {
      await this.saveRun();
    } catch (error) {
      log.error(`run ${this.record.id}: could not save final status ${status}`, error);
    }
    this.emit({ type: 'status', status, message });
    return structuredClone(this.record);
  }

  private async saveRun(): Promise<void> {
    this.record.updatedAt = this.now();
    this.loop.elapsedMs = this.elapsedMs();
    this.record.state.loop = this.loop;
    await this.store.saveRun(structuredClone(this.record));
  }

  /** Wall-clock time of the run over every session so far, milliseconds. */
  private elapsedMs(): number {
    return this.earlierSessionsMs + (this.now() - this.startedAt);
  }

  private emitProgress(): void {
    this.emit(progressEvent(this.config, this.trials.values(), this.finished, this.elapsedMs(), this.rungs?.scheduler));
  }

  private emit(event: RunEvent): void {
    const copy = event.type === 'trial-updated' ? { ...event, trial: structuredClone(event.trial) } : event;
    try {
      this.emitEvent(copy);
    } catch (error) {
      log.error(`run ${this.record.id}: an event listener threw on ${event.type}`, error);
    }
  }
}

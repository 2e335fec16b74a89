// The run loop's evaluations in flight: starts an evaluator call per trial,
// collects each outcome as a settlement in completion order, wakes the loop
// when one arrives, and cancels them all when the run stops.
import type { EvaluationProgress, EvaluationRequest, EvaluationResult, Evaluator } from './types';

/** Outcome of one trial's evaluation: a result, or the error the evaluator rejected with. */
export interface Settlement {
  index: number;
  result?: EvaluationResult;
  error?: unknown;
}

/** Evaluations of one run session, all sharing one abort signal. */
export class InFlightEvaluations {
  private readonly controller = new AbortController();
  private readonly running = new Map<number, Promise<void>>();
  private readonly settled: Settlement[] = [];
  private wakeUp: (() => void) | null = null;

  constructor(private readonly evaluator: Evaluator) {}

  /** Whether cancel or cancelAndWait was called, so evaluations still settling were cut off. */
  get cancelled(): boolean {
    return this.controller.signal.aborted;
  }

  /** Evaluations started and not settled yet. */
  get runningCount(): number {
    return this.running.size;
  }

  /** Whether no evaluation is running and no settlement waits to be taken. */
  get idle(): boolean {
    return this.running.size === 0 && this.settled.length === 0;
  }

  isRunning(index: number): boolean {
    return this.running.has(index);
  }

  /** Queues a settlement reached without calling the evaluator, such as a pruned trial. */
  addSettled(settlement: Settlement): void {
    this.settled.push(settlement);
  }

  /** Removes and returns the oldest settlement, or undefined when there is none. */
  takeSettled(): Settlement | undefined {
    return this.settled.shift();
  }

  /** Starts evaluating `request` for trial `index`. Its result or rejection becomes a settlement. */
  start(index: number, request: EvaluationRequest, onProgress: (progress: EvaluationProgress) => void): void {
    const settle = (settlement: Settlement): void => {
      this.settled.push(settlement);
      this.running.delete(index);
      this.wake();
    };
    // Calling evaluate inside then() turns a synchronous throw into a rejection.
    const evaluation = Promise.resolve()
      .then(() => this.evaluator.evaluate(request, this.controller.signal, onProgress))
      .then(
        (result) => settle({ index, result }),
        (error: unknown) => settle({ index, error }),
      );
    this.running.set(index, evaluation);
  }

  /** Resolves when a settlement arrives or `cancel` is called, and at once when one is already waiting. */
  async waitForSettlement(): Promise<void> {
    if (this.settled.length === 0) await new Promise<void>((resolve) => (this.wakeUp = resolve));
  }

  /** Aborts every running evaluation and wakes the loop. */
  cancel(): void {
    this.controller.abort();
    this.wake();
  }

  /** Aborts every running evaluation and waits until each has settled. */
  async cancelAndWait(): Promise<void> {
    this.controller.abort();
    await Promise.allSettled([...this.running.values()]);
  }

  private wake(): void {
    const wakeUp = this.wakeUp;
    this.wakeUp = null;
    wakeUp?.();
  }
}

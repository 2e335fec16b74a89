// The search progress line on stderr: trials done out of the budget, the best
// trial so far, elapsed time and an estimate of the time left. On a terminal
// one line is redrawn in place. Otherwise a plain line is printed when a
// trial or rung starts or finishes, and at least every 30 s while running.

/** The part of a Node stream the progress line writes to. */
export interface TextStream {
  write(text: string): unknown;
  /** True when the stream is a terminal, so the line may be redrawn with \r. */
  isTTY?: boolean;
  /** Terminal width in characters, when known. */
  columns?: number;
}

/** Values shown on the progress line. */
export interface ProgressState {
  /** Trials finished, those of earlier sessions of a resumed run included. */
  done: number;
  /** Best trial so far by validation accuracy, as fractions in [0, 1]. */
  best?: { validationAccuracy: number; testAccuracy: number };
  /**
   * The trial in training, with its epoch (from 0), the epochs it trains to,
   * the fraction of that training done and, with a scheduler, its rung (from 0).
   */
  running?: { trial: number; epoch: number; epochs: number; fraction: number; rung?: number };
  /**
   * With a scheduler: epochs trained over all trials and rungs, the epochs
   * the schedule plans, and the epochs of training every candidate fully.
   */
  epochs?: { spent: number; planned?: number; full: number };
}

/** Formats a duration in milliseconds as `1h02m`, `3m07s` or `12s`. */
export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  const rest = seconds % 60;
  if (hours > 0) return `${hours}h${String(minutes).padStart(2, '0')}m`;
  if (minutes > 0) return `${minutes}m${String(rest).padStart(2, '0')}s`;
  return `${rest}s`;
}

function formatPercent(fraction: number): string {
  return `${(fraction * 100).toFixed(2)}%`;
}

/** Maximum time between two plain lines while the run is in progress, milliseconds. */
export const PLAIN_LINE_INTERVAL_MS = 30_000;

export class ProgressLine {
  private readonly stream: TextStream;
  private readonly budget: number;
  private readonly doneAtStart: number;
  private readonly now: () => number;
  private readonly startedAt: number;
  private state: ProgressState;
  private lastPlainLine = '';
  private lastPlainLineAt: number;
  /** Epochs spent before this session, taken from the first update that has epochs. */
  private epochsAtStart: number | undefined;
  private timer: ReturnType<typeof setInterval> | undefined;

  /**
   * @param doneAtStart trials finished before this session (a resumed run); the
   *   time-left estimate uses only the rate of this session's trials.
   */
  constructor(stream: TextStream, budget: number, doneAtStart: number, now: () => number = Date.now) {
    this.stream = stream;
    this.budget = budget;
    this.doneAtStart = doneAtStart;
    this.now = now;
    this.startedAt = now();
    this.state = { done: doneAtStart };
    this.lastPlainLineAt = this.startedAt;
    // On a terminal, redraw every second so the elapsed time moves during a
    // long trial. In a log, check every second whether a line is due.
    // unref() lets the process exit without stopping the timer first.
    this.timer = setInterval(() => (stream.isTTY ? this.draw() : this.printIfQuiet()), 1000);
    this.timer.unref?.();
  }

  /** Merges `change` into the shown state and redraws. */
  update(change: Partial<ProgressState>): void {
    if (this.epochsAtStart === undefined && change.epochs !== undefined) this.epochsAtStart = change.epochs.spent;
    this.state = { ...this.state, ...change };
    this.draw();
  }

  /** Shows `metrics` as the best trial when its validation accuracy beats the best so far. */
  offerBest(metrics: { validationAccuracy: number; testAccuracy: number }): void {
    const best = this.state.best;
    if (best !== undefined && best.validationAccuracy >= metrics.validationAccuracy) return;
    this.update({ best: { validationAccuracy: metrics.validationAccuracy, testAccuracy: metrics.testAccuracy } });
  }

  /** Prints a message on its own line, keeping the progress line below it on a terminal. */
  log(message: string): void {
    if (this.stream.isTTY) this.stream.write('\r\x1b[2K');
    this.stream.write(`${message}\n`);
    if (this.stream.isTTY) this.draw();
  }

  /** Stops redrawing and leaves the last line on screen. */
  finish(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    if (this.stream.isTTY) this.stream.write('\n');
  }

  /** Formats the progress text, without line control characters. */
  format(): string {
    const { done, best, running, epochs } = this.state;
    const elapsed = this.now() - this.startedAt;
    const doneHere = done - this.doneAtStart;
    const left = this.budget - done;
    let estimate = 'no trials left';
    if (left > 0) {
      const remainingMs = this.estimateRemainingMs(elapsed, doneHere, left);
      estimate = remainingMs === null ? 'time left unknown' : `~${formatDuration(remainingMs)} left`;
    }

    const parts = [`trials ${done}/${this.budget}`];
    parts.push(best === undefined ? 'best: none yet' : `best val ${formatPercent(best.validationAccuracy)} test ${formatPercent(best.testAccuracy)}`);
    parts.push(`elapsed ${formatDuration(elapsed)}`, estimate);
    if (epochs !== undefined) {
      const text =
        epochs.planned === undefined
          ? `epochs ${epochs.spent}/${epochs.full} of full training`
          : `epochs ${epochs.spent}/${epochs.planned} planned (${epochs.full} for full training)`;
      parts.push(text);
    }
    if (running !== undefined) {
      // Trials are numbered from 0, as in trials.jsonl. Epochs count from 1 up to the epochs to train.
      const rung = running.rung === undefined ? '' : ` rung ${running.rung}`;
      parts.push(`trial ${running.trial}${rung} epoch ${running.epoch + 1}/${running.epochs} (${Math.round(running.fraction * 100)}%)`);
    }
    return parts.join(' | ');
  }

  /**
   * Returns the estimated time left from this session's rate, or null before
   * there is one. With a scheduler the rate is per epoch trained, against the
   * planned epochs, because trials become final only at their last rung.
   * Without one it is per finished trial.
   */
  private estimateRemainingMs(elapsed: number, doneHere: number, left: number): number | null {
    const epochs = this.state.epochs;
    if (epochs?.planned !== undefined) {
      const spentHere = epochs.spent - (this.epochsAtStart ?? 0);
      return spentHere > 0 ? (elapsed / spentHere) * Math.max(0, epochs.planned - epochs.spent) : null;
    }
    return doneHere > 0 ? (elapsed / doneHere) * left : null;
  }

  /** Prints the plain line when none was printed for PLAIN_LINE_INTERVAL_MS. */
  private printIfQuiet(): void {
    if (this.now() - this.lastPlainLineAt < PLAIN_LINE_INTERVAL_MS) return;
    this.printPlain();
  }

  private printPlain(): void {
    this.lastPlainLineAt = this.now();
    this.stream.write(`${this.format()}\n`);
  }

  private draw(): void {
    const text = this.format();
    if (this.stream.isTTY) {
      // A pseudo-terminal may report 0 columns; fall back to a common width.
      const columns = this.stream.columns ?? 0;
      const width = columns > 0 ? columns : 120;
      this.stream.write(`\r\x1b[2K${text.slice(0, Math.max(1, width - 1))}`);
      return;
    }
    // Without a terminal, print when a trial or a scheduler rung starts or
    // finishes, or the best changes, so a log gets no line per batch.
    const { done, best, running, epochs } = this.state;
    const key = `${done} ${best?.validationAccuracy} ${running?.trial} ${running?.rung} ${epochs?.spent}`;
    if (key === this.lastPlainLine) return;
    this.lastPlainLine = key;
    this.printPlain();
  }
}

// The search progress line on stderr: trials done out of the budget, the best
// trial so far, elapsed time and an estimate of the time left. On a terminal
// one line is redrawn in place; otherwise a plain line is printed per change.

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
  /** With a scheduler: epochs trained over all trials and rungs, and the epochs of training every candidate fully. */
  epochs?: { spent: number; full: number };
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

export class ProgressLine {
  private readonly stream: TextStream;
  private readonly budget: number;
  private readonly doneAtStart: number;
  private readonly now: () => number;
  private readonly startedAt: number;
  private state: ProgressState;
  private lastPlainLine = '';
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
    if (stream.isTTY) {
      // Redraw every second so the elapsed time moves during a long trial;
      // unref() lets the process exit without stopping the timer first.
      this.timer = setInterval(() => this.draw(), 1000);
      this.timer.unref?.();
    }
  }

  /** Merges `change` into the shown state and redraws. */
  update(change: Partial<ProgressState>): void {
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
      estimate = doneHere > 0 ? `~${formatDuration((elapsed / doneHere) * left)} left` : 'time left unknown';
    }

    const parts = [`trials ${done}/${this.budget}`];
    parts.push(best === undefined ? 'best: none yet' : `best val ${formatPercent(best.validationAccuracy)} test ${formatPercent(best.testAccuracy)}`);
    parts.push(`elapsed ${formatDuration(elapsed)}`, estimate);
    if (epochs !== undefined) parts.push(`epochs ${epochs.spent}/${epochs.full} of full training`);
    if (running !== undefined) {
      const rung = running.rung === undefined ? '' : ` rung ${running.rung}`;
      parts.push(`trial ${running.trial + 1}${rung} epoch ${running.epoch + 1}/${running.epochs} (${Math.round(running.fraction * 100)}%)`);
    }
    return parts.join(' | ');
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
    // Without a terminal, print only when a trial starts training (or a
    // scheduler rung), a trial finishes or the best changes, so a log gets
    // no line per batch.
    const { done, best, running } = this.state;
    const key = `${done} ${best?.validationAccuracy} ${running?.trial} ${running?.rung}`;
    if (key === this.lastPlainLine) return;
    this.lastPlainLine = key;
    this.stream.write(`${text}\n`);
  }
}

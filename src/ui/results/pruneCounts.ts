// Counts of pruned trials for the dashboard. A trial the predictor filter
// skipped has no curve, and one the curve stop ended has its epochs.

export interface PruneCounts {
  /** Trials the curve stop ended during training. */
  curveStopped: number;
  /** Epochs the curve-stopped trials did not train, against `epochs` each. */
  epochsSaved: number;
  /** Trials the predictor filter skipped before training. */
  filtered: number;
}

/** Counts the pruned trials among `trials`, each planned for `epochs` epochs. */
export function pruneCounts(trials: Iterable<{ status: string; curve: readonly unknown[] }>, epochs: number): PruneCounts {
  const counts: PruneCounts = { curveStopped: 0, epochsSaved: 0, filtered: 0 };
  for (const trial of trials) {
    if (trial.status !== 'pruned') continue;
    if (trial.curve.length === 0) {
      counts.filtered++;
    } else {
      counts.curveStopped++;
      counts.epochsSaved += Math.max(0, epochs - trial.curve.length);
    }
  }
  return counts;
}

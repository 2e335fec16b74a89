// Flags latency measurements whose spread points to a busy machine. A p90
// far above the median means other load, not the model, slowed some runs.

/** p90 / median ratio above which a latency measurement is marked unstable. */
export const UNSTABLE_LATENCY_RATIO = 2;

/**
 * Returns true when `p90Ms` is more than UNSTABLE_LATENCY_RATIO times
 * `medianMs` (both in milliseconds). A median that is not positive, or a
 * value that is not finite, is not judged and returns false.
 */
export function isLatencyUnstable(medianMs: number, p90Ms: number): boolean {
  if (!Number.isFinite(medianMs) || !Number.isFinite(p90Ms) || medianMs <= 0) return false;
  return p90Ms > UNSTABLE_LATENCY_RATIO * medianMs;
}

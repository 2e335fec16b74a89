// Number formatting shared by the Results charts and tables.

const integerFormat = new Intl.NumberFormat('en-US');

/** Formats an integer with thousands separators, e.g. 1,234,567. */
export function formatInteger(value: number | bigint): string {
  return integerFormat.format(value);
}

/** Formats a fraction in [0, 1] as a percentage with one decimal, e.g. 97.3%. */
export function formatPercent(value: number): string {
  return `${(value * 100).toFixed(1)}%`;
}

/** Formats milliseconds: two decimals below 10 ms, one below 1 s, seconds above. */
export function formatMs(value: number): string {
  if (value < 10) return `${value.toFixed(2)} ms`;
  if (value < 1000) return `${value.toFixed(1)} ms`;
  return `${(value / 1000).toFixed(1)} s`;
}

/** Formats a duration in milliseconds as m:ss or h:mm:ss. */
export function formatDuration(ms: number): string {
  const totalSeconds = Math.max(0, Math.round(ms / 1000));
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = totalSeconds % 60;
  const padded = String(seconds).padStart(2, '0');
  if (hours > 0) return `${hours}:${String(minutes).padStart(2, '0')}:${padded}`;
  return `${minutes}:${padded}`;
}

/** Formats a cost value for the objective: ms for latency, separators for counts. */
export function formatCost(value: number, objective: 'latency' | 'params' | 'flops'): string {
  return objective === 'latency' ? formatMs(value) : formatInteger(Math.round(value));
}

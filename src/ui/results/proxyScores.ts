// Text of a trial's zero-cost proxy scores for the Trials table and the
// selected-trial panel.
import type { Trial } from '../../core/run/types';

/**
 * Returns the trial's proxy scores as "name value" pairs joined by commas,
 * with 4 significant digits (params and FLOPs as integers), or '' when the
 * trial has none.
 */
export function formatProxyScores(proxies: Trial['proxies']): string {
  if (proxies === undefined) return '';
  return Object.entries(proxies)
    .filter((entry): entry is [string, number] => typeof entry[1] === 'number')
    .map(([name, value]) => `${name} ${name === 'params' || name === 'flops' ? Math.round(value).toLocaleString('en-US') : value.toPrecision(4)}`)
    .join(', ');
}

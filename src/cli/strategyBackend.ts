// Loads tfjs's cpu backend for strategies that compute with tfjs-core (the
// REINFORCE controller). Runs with other strategies and a benchmark table
// never load tfjs, so they start quickly.
import { STRATEGIES, type StrategyName } from '../core/strategy';

/** Registers the cpu backend when any of `names` needs a tfjs backend. */
export async function prepareStrategyBackend(names: readonly string[]): Promise<void> {
  const needed = names.some((name) => STRATEGIES[name as StrategyName]?.needsTensorBackend === true);
  if (needed) await import('@tensorflow/tfjs-backend-cpu');
}

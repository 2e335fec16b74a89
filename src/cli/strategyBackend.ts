// Loads tfjs for the CLI only when a command needs it: the cpu backend for
// strategies that compute with tfjs-core (the REINFORCE controller), and the
// quiet mode for every Node run. Runs with other strategies and a benchmark
// table never load tfjs, so they start quickly.
import { STRATEGIES, type StrategyName } from '../core/strategy';

/** Registers the cpu backend when any of `names` needs a tfjs backend. */
export async function prepareStrategyBackend(names: readonly string[]): Promise<void> {
  const needed = names.some((name) => STRATEGIES[name as StrategyName]?.needsTensorBackend === true);
  if (!needed) return;
  await quietTfjs();
  await import('@tensorflow/tfjs-backend-cpu');
}

/**
 * Turns on tfjs's production mode, which drops its console advice (the
 * cpu backend's banner suggesting tfjs-node on the first tensor in Node)
 * and its debug checks, so the CLI's stderr contains only its own messages.
 */
export async function quietTfjs(): Promise<void> {
  const { env } = await import('@tensorflow/tfjs-core');
  env().set('PROD', true);
}

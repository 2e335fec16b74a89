// Gives the page's main thread a tfjs backend for strategies that compute with
// tfjs-core (the REINFORCE controller). It selects the cpu backend, so a run
// repeats exactly for its seed whatever GPU the page has.
import * as tf from '@tensorflow/tfjs';

/** Selects tfjs's cpu backend in this thread and waits until it is ready. */
export async function prepareStrategyBackend(): Promise<void> {
  if (tf.getBackend() !== 'cpu') await tf.setBackend('cpu');
  await tf.ready();
}

// Test data for the browser specs: a stored run as a run bundle, imported
// through the Run page so a spec starts with an earlier run in IndexedDB.

/** Returns the JSON of a completed run bundle with no trials; `name` labels the run in the Runs table. */
export function runBundle(name: string): string {
  const now = Date.now();
  const space = {
    family: 'sequential',
    name: 'tiny sequential',
    depths: [1, 2],
    ops: ['conv3x3', 'maxpool3x3', 'identity'],
    widths: [4, 8],
    connectivity: 'sequential',
    stemChannels: 4,
    downsampleAfter: [0],
  };
  const run = {
    id: `fixture-${name}`,
    config: {
      name,
      dataset: { name: 'mnist', trainSize: 64, validationSize: 32, testSize: 32 },
      space,
      strategy: { name: 'random', options: {} },
      training: {
        epochs: 1,
        batchSize: 32,
        optimizer: 'adam',
        learningRate: 0.001,
        momentum: 0.9,
        schedule: 'constant',
        patience: 0,
      },
      costObjective: 'params',
      constraints: {},
      budget: 2,
      seed: 7,
      workers: 1,
      backend: 'cpu',
    },
    status: 'completed',
    createdAt: now - 60_000,
    updatedAt: now - 30_000,
    state: { toldCount: 0, strategyState: null, proposedCount: 0, hypervolume: [] },
  };
  return JSON.stringify({ format: 'nas-studio-run', version: 1, run, trials: [] });
}

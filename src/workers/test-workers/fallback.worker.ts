// Test-only worker: trains one tiny candidate through a BackendSession that
// ranks wasm first, with wasm's Conv2D kernel removed, and posts what the
// session did. It checks the fallback in a real browser worker with the
// threaded wasm backend.
import * as tf from '@tensorflow/tfjs';
import type { BackendFallback, BackendName, EvaluationRequest } from '../../core/run/types';
import { BackendSession, DatasetTensorCache, decodeMnist, splitDataset } from '../../engine';

/** The message this worker posts once. */
export interface FallbackReport {
  status: string;
  error?: string;
  trainedOn?: BackendName;
  fallback?: BackendFallback;
  active: BackendName;
  activeInTfjs: string;
}

const REQUEST: EvaluationRequest = {
  trialId: 'fallback',
  arch: { family: 'sequential', layers: [{ op: 'conv3x3', width: 4, skipFrom: null }] },
  space: {
    family: 'sequential',
    name: 'tiny',
    depths: [1],
    ops: ['conv3x3'],
    widths: [4],
    connectivity: 'sequential',
    stemChannels: 4,
    downsampleAfter: [0],
  },
  seed: 2,
  input: { inputShape: [28, 28, 1], numClasses: 10 },
  dataset: { name: 'mnist', trainSize: 8, validationSize: 4, testSize: 4 },
  training: { epochs: 1, batchSize: 4, optimizer: 'adam', learningRate: 0.01, momentum: 0, schedule: 'constant', patience: 0 },
  constraints: {},
};

async function run(): Promise<FallbackReport> {
  const session = await BackendSession.fromProbe({
    chosen: 'wasm',
    batchSize: 8,
    entries: [
      { backend: 'wasm', passed: true, msPerStep: 10 },
      { backend: 'cpu', passed: true, msPerStep: 100 },
    ],
  });
  tf.unregisterKernel('Conv2D', 'wasm');

  const response = await fetch(new URL(`${import.meta.env.BASE_URL}data/mnist.bin`, self.location.href));
  const dataset = decodeMnist(await response.arrayBuffer());
  const split = splitDataset(dataset, REQUEST.dataset);
  const result = await session.evaluate(REQUEST, { dataset, split, tensorCache: new DatasetTensorCache() }, { latencyRuns: 1 });
  return {
    status: result.status,
    error: result.error?.message,
    trainedOn: result.metrics?.backend,
    fallback: result.metrics?.backendFallback,
    active: session.active,
    activeInTfjs: tf.getBackend(),
  };
}

void run().then(
  (report) => postMessage(report),
  (error: unknown) => postMessage({ status: 'threw', error: String(error), active: 'cpu', activeInTfjs: tf.getBackend() }),
);

// The Node side of `npm run bench:train`: measures the cpu and wasm backends
// in this process, with the engine's own backend setup (which registers the
// wasm training kernels).
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type { BackendName } from '../../src/core/run/types';
import { trySetBackend } from '../../src/engine/backend';
import { describeWasmFeatures } from '../../src/engine/wasm/features';
import { summarizeSimdKernels } from '../../src/engine/wasm/simd-assembler';
import { measureModels, measurePeakGflops, type ModelMeasurement } from './measure';
import { BACKENDS_BY_ENVIRONMENT, type BenchTrainOptions } from './options';

export interface BackendMeasurement {
  backend: string;
  /** GFLOP/s of a large matrix product on this backend. */
  peakGflops: number;
  /** Runtime settings of the backend, such as the wasm SIMD and thread settings. */
  details: string;
  models: ModelMeasurement[];
}

/** Measures every requested Node backend on `modelIds`; `log` receives progress lines. */
export async function runNode(options: BenchTrainOptions, modelIds: string[], log: (line: string) => void): Promise<BackendMeasurement[]> {
  const results: BackendMeasurement[] = [];
  for (const backend of BACKENDS_BY_ENVIRONMENT.node.filter((name) => options.backends.includes(name))) {
    if (!(await trySetBackend(backend as BackendName))) {
      log(`node/${backend}: not available, skipped`);
      continue;
    }
    let details = `tfjs ${tf.version.tfjs}`;
    if (backend === 'wasm') {
      const features = await describeWasmFeatures();
      details += `, SIMD ${features.simd ? 'on' : 'off'}, threads ${features.multithread ? 'supported' : 'unsupported'}, ${features.threads ?? 'unknown'} thread(s) in use`;
    }
    const peakGflops = await measurePeakGflops(Math.min(options.seconds, 2));
    log(`node/${backend}: ${details}, matrix product ${peakGflops.toFixed(1)} GFLOP/s`);
    const batchSize = backend === 'cpu' ? options.cpuBatchSize : options.batchSize;
    const models = await measureModels(modelIds, batchSize, options.seconds, peakGflops, (m) =>
      log(`node/${backend}/${m.model}: train ${m.trainImagesPerSecond.toFixed(0)} img/s, infer ${m.inferImagesPerSecond.toFixed(0)} img/s`),
    );
    if (backend === 'wasm') {
      // The SIMD kernels instantiate when the first gradient needs them, so they are known only after training.
      const simdKernels = summarizeSimdKernels(tf.findBackend('wasm') as BackendWasm);
      details += `, ${simdKernels}`;
      log(`node/wasm: ${simdKernels}`);
    }
    results.push({ backend, peakGflops, details, models });
  }
  return results;
}

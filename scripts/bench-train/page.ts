// The Chromium side of `npm run bench:train`: Playwright opens this page with
// the backends, models, batch size and seconds in the query string, and
// reads window.benchTrainResult when it is set.
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type { BackendName } from '../../src/core/run/types';
import { trySetBackend } from '../../src/engine/backend';
import { describeWasmFeatures } from '../../src/engine/wasm/features';
import { summarizeSimdKernels } from '../../src/engine/wasm/simd-assembler';
import { measureModels, measurePeakGflops } from './measure';
import type { BackendMeasurement } from './node';

declare global {
  interface Window {
    benchTrainResult?: { backends: BackendMeasurement[]; userAgent: string } | { error: string };
  }
}

async function run(): Promise<void> {
  const query = new URLSearchParams(location.search);
  const backends = (query.get('backends') ?? 'cpu,wasm,webgl,webgpu').split(',');
  const models = (query.get('models') ?? 'reference').split(',');
  const fullBatchSize = Number(query.get('batch') ?? '64');
  const cpuBatchSize = Number(query.get('cpuBatch') ?? '8');
  const seconds = Number(query.get('seconds') ?? '3');

  const results: BackendMeasurement[] = [];
  for (const backend of backends) {
    if (!(await trySetBackend(backend as BackendName))) {
      console.info(`chromium/${backend}: not available, skipped`);
      continue;
    }
    let details = `tfjs ${tf.version.tfjs}, cross-origin isolated ${globalThis.crossOriginIsolated === true}`;
    if (backend === 'wasm') {
      const features = await describeWasmFeatures();
      details += `, SIMD ${features.simd ? 'on' : 'off'}, threads ${features.multithread ? 'supported' : 'unsupported'}, ${features.threads ?? 'unknown'} thread(s) in use`;
    }
    const peakGflops = await measurePeakGflops(Math.min(seconds, 2));
    console.info(`chromium/${backend}: ${details}, matrix product ${peakGflops.toFixed(1)} GFLOP/s`);
    const batchSize = backend === 'cpu' ? cpuBatchSize : fullBatchSize;
    const measured = await measureModels(models, batchSize, seconds, peakGflops, (m) =>
      console.info(`chromium/${backend}/${m.model}: train ${m.trainImagesPerSecond.toFixed(0)} img/s, infer ${m.inferImagesPerSecond.toFixed(0)} img/s`),
    );
    if (backend === 'wasm') {
      // The SIMD kernels instantiate when the first gradient needs them, so they are known only after training.
      const simdKernels = summarizeSimdKernels(tf.findBackend('wasm') as BackendWasm);
      details += `, ${simdKernels}`;
      console.info(`chromium/wasm: ${simdKernels}`);
    }
    results.push({ backend, peakGflops, details, models: measured });
  }
  window.benchTrainResult = { backends: results, userAgent: navigator.userAgent };
}

run().catch((error: unknown) => {
  window.benchTrainResult = { error: error instanceof Error ? `${error.message}\n${error.stack ?? ''}` : String(error) };
});

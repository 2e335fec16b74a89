// Checks in Chromium, on the cross-origin isolated page with the threaded
// SIMD build, that every SIMD training kernel instantiates on the shared
// wasm memory and that the reference block gets the cpu backend's gradients.
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { setWasmThreadCount, trySetBackend } from '../backend';
import { describeWasmFeatures } from './features';
import { simdAddBias } from './bias-add';
import { describeSimdKernels } from './simd-assembler';
import { BLOCK_CASES, compareBlockOnBackends, GRADIENT_NAMES } from './simd-block.fixture';
import { simdAddRuns } from './simd-col2im';
import { simdSumColumns } from './simd-column-sums';
import { simdAccumulateProducts } from './simd-filter-grad';
import { simdAccumulateImage } from './simd-filter-grad-rows';
import { simdAccumulateValid } from './simd-filter-grad-valid';
import { simdRouteWindowRow } from './simd-max-pool-grad';
import { simdCopyRows, simdTransposeBlocks } from './simd-transpose';

/** Largest accepted relative error between the wasm and cpu gradients. */
const TOLERANCE = 1e-4;

let wasmBackend: BackendWasm;

beforeAll(async () => {
  // As the worker pool sets up a single worker that has the whole machine.
  setWasmThreadCount(Math.max(1, navigator.hardwareConcurrency));
  expect(await trySetBackend('wasm')).toBe(true);
  wasmBackend = tf.backend() as BackendWasm;
});

describe('SIMD kernels on the page', () => {
  it('run on the threaded build', async () => {
    const features = await describeWasmFeatures();
    console.info(`[test] wasm on the page: ${JSON.stringify(features)}, ${navigator.hardwareConcurrency} logical cores`);

    expect(globalThis.crossOriginIsolated).toBe(true);
    expect(features.simd).toBe(true);
    expect(features.multithread).toBe(true);
    expect(features.threads).toBe(Math.min(navigator.hardwareConcurrency, 8));
    expect(describeSimdKernels(wasmBackend).sharedMemory).toBe(true);
  });

  it.each(BLOCK_CASES)('give cpu gradients for $label', async (block) => {
    const errors = await compareBlockOnBackends(block);

    for (const [i, error] of errors.entries()) {
      expect(error, `relative error of ${GRADIENT_NAMES[i]}`).toBeLessThanOrEqual(TOLERANCE);
    }
    // Which kernels the block reaches depends on the routing of each gradient; the 2x2 pools always take routeWindowRow.
    const report = describeSimdKernels(wasmBackend);
    console.info(`[test] SIMD kernels after ${block.label}: ${report.active.join(', ')}`);
    expect(report.unavailable).toEqual([]);
    expect(report.active).toContain('routeWindowRow');
  });

  it('all instantiate on the shared memory', () => {
    const getters: [string, () => unknown][] = [
      ['addBias', () => simdAddBias(wasmBackend)],
      ['addRuns', () => simdAddRuns(wasmBackend)],
      ['sumColumns1', () => simdSumColumns(wasmBackend, 1)],
      ['sumColumns4', () => simdSumColumns(wasmBackend, 4)],
      ['accumulateProducts', () => simdAccumulateProducts(wasmBackend)],
      ['accumulateImage', () => simdAccumulateImage(wasmBackend)],
      ['accumulateValidProducts', () => simdAccumulateValid(wasmBackend)],
      ['routeWindowRow', () => simdRouteWindowRow(wasmBackend)],
      ['transposeBlocks', () => simdTransposeBlocks(wasmBackend)],
      ['copyRows', () => simdCopyRows(wasmBackend)],
    ];

    for (const [name, getter] of getters) expect(getter(), name).toBeTypeOf('function');
    const report = describeSimdKernels(wasmBackend);
    expect(report.sharedMemory).toBe(true);
    expect(report.unavailable).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { describeWasmFeatures } from './features';

describe('describeWasmFeatures in Node', () => {
  it('reports SIMD and one thread', async () => {
    expect(await tf.setBackend('wasm')).toBe(true);
    const features = await describeWasmFeatures();
    expect(features.simd).toBe(true);
    expect(features.multithread).toBe(false);
    expect(features.threads).toBe(1);
  });
});

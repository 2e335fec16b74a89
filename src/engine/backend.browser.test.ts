import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { describeDevice, initBackend } from './backend';

describe('initBackend in Chromium', () => {
  it('auto picks a backend that trains', async () => {
    const backend = await initBackend('auto');
    expect(['webgpu', 'webgl', 'cpu']).toContain(backend);
    expect(tf.getBackend()).toBe(backend);
    expect(describeDevice()).toContain(`(${backend}`);
  });

  it('cpu preference gives cpu', async () => {
    expect(await initBackend('cpu')).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
  });

  it('auto skips a software WebGPU adapter', async () => {
    const gpu = (navigator as Navigator & { gpu?: { requestAdapter(): Promise<{ info?: { isFallbackAdapter?: boolean; architecture?: string } } | null> } }).gpu;
    const adapter = await gpu?.requestAdapter();
    const software = adapter?.info?.isFallbackAdapter === true || /swiftshader/i.test(adapter?.info?.architecture ?? '');
    if (!software) return; // A real GPU, or none: nothing to skip here.
    expect(await initBackend('auto')).not.toBe('webgpu');
    expect(await initBackend('webgpu')).toBe('webgpu');
  });
});

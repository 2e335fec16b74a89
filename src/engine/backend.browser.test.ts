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
});

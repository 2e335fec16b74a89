import { describe, expect, it, vi } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { describeDevice, initBackend } from './backend';

describe('initBackend in Node', () => {
  it('auto falls back to cpu', async () => {
    expect(await initBackend('auto')).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
  });

  it('unavailable webgpu falls back with a warning', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    expect(await initBackend('webgpu')).toBe('cpu');
    expect(warn.mock.calls.flat().join(' ')).toContain('backend webgpu is not available here');
    warn.mockRestore();
  });

  it('describes the Node device', async () => {
    await initBackend('cpu');
    expect(describeDevice()).toMatch(/^node \d+\.\d+\.\d+ \w+ \w+ \(cpu\)$/);
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import type { BackendProbe } from '../core/run/types';
import { describeProbe, passedBackendsBySpeed, probeBackends, PROBE_BATCH_SIZE } from './probe';

// Probes in Node, where cpu and wasm exist. Whether wasm passes depends on
// its training kernels, so the tests that need a wasm failure remove one of
// its forward kernels for the duration of the test.

const removedKernels: tf.KernelConfig[] = [];

function removeKernel(kernelName: string, backendName: string): void {
  const config = tf.getKernel(kernelName, backendName);
  if (config === undefined) return;
  tf.unregisterKernel(kernelName, backendName);
  removedKernels.push(config);
}

afterEach(() => {
  for (const config of removedKernels.splice(0)) tf.registerKernel(config);
});

describe('probeBackends in Node', () => {
  it('times cpu and activates the choice', async () => {
    const probe = await probeBackends(['cpu', 'wasm'], { warmupSteps: 0, timedSteps: 1 });

    expect(probe.batchSize).toBe(PROBE_BATCH_SIZE);
    expect(probe.entries.map((entry) => entry.backend)).toEqual(['cpu', 'wasm']);
    const cpu = probe.entries[0];
    expect(cpu.passed).toBe(true);
    expect(cpu.msPerStep).toBeGreaterThan(0);
    expect(cpu.imagesPerSecond).toBeCloseTo((PROBE_BATCH_SIZE * 1000) / cpu.msPerStep!, 6);
    const wasm = probe.entries[1];
    if (wasm.passed) expect(wasm.msPerStep).toBeGreaterThan(0);
    else expect(wasm.reason).toMatch(/training failed/);
    expect(passedBackendsBySpeed(probe)[0]).toBe(probe.chosen);
    expect(tf.getBackend()).toBe(probe.chosen);
    console.info(`[test] probe in Node: ${describeProbe(probe)}`);
  });

  it('passing probe leaves no tensors', async () => {
    await tf.setBackend('cpu');
    const before = tf.memory().numTensors;

    await probeBackends(['cpu'], { warmupSteps: 0, timedSteps: 1 });

    expect(tf.memory().numTensors).toBe(before);
  });

  it('fails wasm with a missing kernel', async () => {
    removeKernel('Conv2D', 'wasm');

    const probe = await probeBackends(['wasm', 'cpu'], { warmupSteps: 0, timedSteps: 1 });

    const wasm = probe.entries[0];
    expect(wasm.passed).toBe(false);
    expect(wasm.reason).toContain('Conv2D');
    expect(wasm.msPerStep).toBeUndefined();
    expect(probe.chosen).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
  });

  it('fails a backend missing in Node', async () => {
    const probe = await probeBackends(['webgl', 'cpu'], { warmupSteps: 0, timedSteps: 1 });

    expect(probe.entries[0]).toEqual({ backend: 'webgl', passed: false, reason: 'backend webgl is not available here' });
    expect(probe.chosen).toBe('cpu');
  });

  it('rejects when no backend passes', async () => {
    await expect(probeBackends(['webgl'], { warmupSteps: 0, timedSteps: 1 })).rejects.toThrow(
      /no backend passed the training probe \(webgl: backend webgl is not available here\)/,
    );
  });
});

describe('passedBackendsBySpeed', () => {
  it('orders passed backends fastest first', () => {
    const probe: BackendProbe = {
      chosen: 'wasm',
      batchSize: 16,
      entries: [
        { backend: 'webgl', passed: true, msPerStep: 30 },
        { backend: 'webgpu', passed: false, reason: 'mismatch' },
        { backend: 'wasm', passed: true, msPerStep: 5 },
        { backend: 'cpu', passed: true, msPerStep: 80 },
      ],
    };

    expect(passedBackendsBySpeed(probe)).toEqual(['wasm', 'webgl', 'cpu']);
  });
});

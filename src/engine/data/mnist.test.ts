import { beforeAll, describe, expect, it } from 'vitest';
import { NasError, ValidationError } from '../../core/errors';
import { decodeMnist, splitDataset, type ImageDataset } from './mnist';
import { loadMnistNode } from './mnistNode';

/** Returns a valid asset of `count` tiny images with labels i % 10. */
function makeAsset(count: number, rows = 2, cols = 2): ArrayBuffer {
  const buffer = new ArrayBuffer(24 + count + count * rows * cols);
  const bytes = new Uint8Array(buffer);
  bytes.set(Array.from('NASMNIST', (char) => char.charCodeAt(0)));
  const view = new DataView(buffer);
  view.setUint32(8, 1, true);
  view.setUint32(12, count, true);
  view.setUint32(16, rows, true);
  view.setUint32(20, cols, true);
  for (let i = 0; i < count; i++) bytes[24 + i] = i % 10;
  return buffer;
}

function decodeError(buffer: ArrayBuffer): NasError {
  try {
    decodeMnist(buffer);
  } catch (error) {
    return error as NasError;
  }
  throw new Error('decodeMnist accepted a corrupt buffer');
}

describe('decodeMnist', () => {
  it('decodes a valid buffer', () => {
    const dataset = decodeMnist(makeAsset(20));
    expect(dataset.count).toBe(20);
    expect(dataset.shape).toEqual([2, 2, 1]);
    expect(dataset.labels[13]).toBe(3);
    expect(dataset.pixels.length).toBe(80);
  });

  it('rejects a buffer shorter than the header', () => {
    const error = decodeError(new ArrayBuffer(10));
    expect(error).toBeInstanceOf(NasError);
    expect(error.message).toContain('fewer than the 24-byte header');
  });

  it('rejects a wrong magic', () => {
    const buffer = makeAsset(10);
    new Uint8Array(buffer)[0] = 'X'.charCodeAt(0);
    expect(decodeError(buffer).message).toContain('magic must be "NASMNIST", got "XASMNIST"');
  });

  it('rejects an unknown version', () => {
    const buffer = makeAsset(10);
    new DataView(buffer).setUint32(8, 2, true);
    expect(decodeError(buffer).message).toContain('version must be 1, got 2');
  });

  it('rejects a truncated body', () => {
    const buffer = makeAsset(10).slice(0, 60);
    expect(decodeError(buffer).message).toContain('needs 74 bytes, got 60');
  });

  it('rejects a zero image count', () => {
    expect(decodeError(makeAsset(0)).message).toContain('count, rows and cols must be positive');
  });

  it('rejects a label out of range', () => {
    const buffer = makeAsset(10);
    new Uint8Array(buffer)[24 + 4] = 12;
    expect(decodeError(buffer).message).toContain('label 4 must be in [0, 10), got 12');
  });

  it('names the fix in its messages', () => {
    expect(decodeError(new ArrayBuffer(3)).message).toContain('npm run data');
  });
});

describe('splitDataset', () => {
  let mnist: ImageDataset;
  beforeAll(async () => {
    mnist = await loadMnistNode();
  });

  it('loads the real asset', () => {
    expect(mnist.count).toBeGreaterThanOrEqual(1000);
    expect(mnist.shape).toEqual([28, 28, 1]);
    expect(Math.max(...mnist.pixels.subarray(0, 784 * 10))).toBeLessThanOrEqual(255);
  });

  it('returns disjoint splits of the requested sizes', () => {
    const split = splitDataset(mnist, { trainSize: 300, validationSize: 100, testSize: 200 });
    expect(split.train).toHaveLength(300);
    expect(split.validation).toHaveLength(100);
    expect(split.test).toHaveLength(200);
    const all = new Set([...split.train, ...split.validation, ...split.test]);
    expect(all.size).toBe(600);
  });

  it('stratifies every split by label', () => {
    const classCounts = new Array(10).fill(0);
    mnist.labels.forEach((label) => classCounts[label]++);
    const split = splitDataset(mnist, { trainSize: 500, validationSize: 200, testSize: 300 });
    for (const [name, indices] of Object.entries(split)) {
      const counts = new Array(10).fill(0);
      for (const index of indices) counts[mnist.labels[index]]++;
      counts.forEach((count, label) => {
        const expected = (indices.length * classCounts[label]) / mnist.count;
        expect(Math.abs(count - expected), `${name} label ${label}`).toBeLessThanOrEqual(2);
      });
    }
  });

  it('is deterministic', () => {
    const sizes = { trainSize: 50, validationSize: 20, testSize: 30 };
    expect(splitDataset(mnist, sizes)).toEqual(splitDataset(mnist, sizes));
  });

  it('keeps the test split when other sizes change', () => {
    const small = splitDataset(mnist, { trainSize: 10, validationSize: 5, testSize: 40 });
    const large = splitDataset(mnist, { trainSize: 900, validationSize: 300, testSize: 40 });
    expect(large.test).toEqual(small.test);
    const test = new Set(large.test);
    expect([...large.train, ...large.validation].some((index) => test.has(index))).toBe(false);
  });

  it('starts the test split with one image per class', () => {
    const split = splitDataset(mnist, { trainSize: 0, validationSize: 0, testSize: 10 });
    const labels = new Set(split.test.map((index) => mnist.labels[index]));
    expect(labels.size).toBe(10);
  });

  it('rejects sizes beyond the dataset', () => {
    const sizes = { trainSize: mnist.count, validationSize: 1, testSize: 0 };
    expect(() => splitDataset(mnist, sizes)).toThrow(ValidationError);
    expect(() => splitDataset(mnist, sizes)).toThrow(/more than the \d+ images available/);
  });

  it('rejects a negative size', () => {
    expect(() => splitDataset(mnist, { trainSize: -1, validationSize: 0, testSize: 0 })).toThrow(
      'dataset.trainSize must be a non-negative integer, got -1',
    );
  });
});

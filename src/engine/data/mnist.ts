// The MNIST image dataset: decoding the binary asset written by
// scripts/build-mnist.mjs, and the fixed stratified train/validation/test
// split. Pure TypeScript without tfjs or fs, so it runs in workers and Node.
import { Random } from '../../core/random';
import { NasError, ValidationError } from '../../core/errors';

/** Images as raw uint8 pixels with their labels, all in memory. */
export interface ImageDataset {
  /** Number of images. */
  count: number;
  /** [height, width, channels] of one image, e.g. [28, 28, 1]. */
  shape: [number, number, number];
  numClasses: number;
  /** count uint8 labels in [0, numClasses). */
  labels: Uint8Array;
  /** count * height * width * channels uint8 pixels, image after image, row-major. */
  pixels: Uint8Array;
}

/** Index arrays into an ImageDataset, pairwise disjoint. */
export interface DatasetSplit {
  train: number[];
  validation: number[];
  test: number[];
}

export interface SplitSizes {
  trainSize: number;
  validationSize: number;
  testSize: number;
}

const MAGIC = 'NASMNIST';
const VERSION = 1;
const HEADER_BYTES = 24;
const MNIST_CLASSES = 10;

/**
 * Seed of the split. It is fixed, so the test images never depend on a run's
 * seed and runs with different seeds are scored on the same images.
 */
export const SPLIT_SEED = 20_190_601;

/**
 * Decodes the asset of scripts/build-mnist.mjs: magic "NASMNIST", uint32 LE
 * version 1, count, rows, cols, then count labels and count * rows * cols
 * pixels. The returned arrays are views of `buffer`, not copies.
 * Throws NasError('invalid_config') naming the first header field or size
 * that does not match.
 */
export function decodeMnist(buffer: ArrayBuffer): ImageDataset {
  if (buffer.byteLength < HEADER_BYTES) {
    throw corrupt(`the file has ${buffer.byteLength} bytes, fewer than the ${HEADER_BYTES}-byte header`);
  }
  const bytes = new Uint8Array(buffer);
  const magic = String.fromCharCode(...bytes.subarray(0, MAGIC.length));
  if (magic !== MAGIC) {
    throw corrupt(`magic must be ${JSON.stringify(MAGIC)}, got ${JSON.stringify(magic)}`);
  }

  const view = new DataView(buffer);
  const version = view.getUint32(8, true);
  const count = view.getUint32(12, true);
  const rows = view.getUint32(16, true);
  const cols = view.getUint32(20, true);
  if (version !== VERSION) {
    throw corrupt(`version must be ${VERSION}, got ${version}`);
  }
  if (count === 0 || rows === 0 || cols === 0) {
    throw corrupt(`count, rows and cols must be positive, got ${count}, ${rows} and ${cols}`);
  }

  const expectedBytes = HEADER_BYTES + count + count * rows * cols;
  if (buffer.byteLength !== expectedBytes) {
    throw corrupt(
      `a header of ${count} images of ${rows}x${cols} needs ${expectedBytes} bytes, got ${buffer.byteLength}`,
    );
  }

  const labels = bytes.subarray(HEADER_BYTES, HEADER_BYTES + count);
  const badLabel = labels.findIndex((label) => label >= MNIST_CLASSES);
  if (badLabel >= 0) {
    throw corrupt(`label ${badLabel} must be in [0, ${MNIST_CLASSES}), got ${labels[badLabel]}`);
  }

  return {
    count,
    shape: [rows, cols, 1],
    numClasses: MNIST_CLASSES,
    labels,
    pixels: bytes.subarray(HEADER_BYTES + count),
  };
}

function corrupt(detail: string): NasError {
  return new NasError(
    'invalid_config',
    `mnist.bin is corrupt: ${detail}; rebuild it with \`npm run data\``,
  );
}

/**
 * Splits `dataset` into disjoint test, validation and train index arrays,
 * each stratified by label: every class gets about its share of the
 * dataset, within two images.
 *
 * The split uses SPLIT_SEED only. Each class is shuffled once, then all
 * images are interleaved so that any prefix is stratified. The test split is
 * the first `testSize` images of that order, validation the next
 * `validationSize` and train the next `trainSize`. So the test images depend
 * only on `testSize`, and the split is the same in every run.
 * Throws ValidationError when a size is not a non-negative integer or the
 * sizes add up to more than `dataset.count`.
 */
export function splitDataset(dataset: ImageDataset, sizes: SplitSizes): DatasetSplit {
  for (const field of ['trainSize', 'validationSize', 'testSize'] as const) {
    const value = sizes[field];
    if (!Number.isInteger(value) || value < 0) {
      throw new ValidationError(
        `dataset.${field}`,
        value,
        `dataset.${field} must be a non-negative integer, got ${value}`,
      );
    }
  }
  const total = sizes.trainSize + sizes.validationSize + sizes.testSize;
  if (total > dataset.count) {
    throw new ValidationError(
      'dataset',
      sizes,
      `dataset sizes add up to ${total} (train ${sizes.trainSize} + validation ${sizes.validationSize} + ` +
        `test ${sizes.testSize}), more than the ${dataset.count} images available: lower trainSize`,
    );
  }

  const order = stratifiedOrder(dataset);
  const testEnd = sizes.testSize;
  const validationEnd = testEnd + sizes.validationSize;
  return {
    test: order.slice(0, testEnd),
    validation: order.slice(testEnd, validationEnd),
    train: order.slice(validationEnd, validationEnd + sizes.trainSize),
  };
}

/**
 * Returns every index of the dataset in a fixed order whose prefixes are stratified:
 * the r-th of n images of a class gets the key (r + 0.5) / n, and images are
 * sorted by key (ties by class).
 */
function stratifiedOrder(dataset: ImageDataset): number[] {
  const byClass: number[][] = Array.from({ length: dataset.numClasses }, () => []);
  for (let i = 0; i < dataset.count; i++) byClass[dataset.labels[i]].push(i);

  const random = new Random(SPLIT_SEED);
  const keyed: { index: number; key: number; label: number }[] = [];
  byClass.forEach((indices, label) => {
    random.shuffle(indices);
    indices.forEach((index, rank) => keyed.push({ index, key: (rank + 0.5) / indices.length, label }));
  });
  keyed.sort((a, b) => a.key - b.key || a.label - b.label);
  return keyed.map((entry) => entry.index);
}

// Copies chosen images of an ImageDataset into tfjs tensors for training and
// evaluation, normalising uint8 pixels to [0, 1].
import * as tf from '@tensorflow/tfjs';
import type { ImageDataset } from './mnist';
import type { LabelledTensors } from '../train';

/** Multiplier applied to uint8 pixels; exported models expect the same. */
export const PIXEL_SCALE = 1 / 255;

/**
 * Tensors of the images at `indices`, in that order: xs
 * [n, height, width, channels] float32 in [0, 1] and labels [n] int32.
 * The caller owns and must dispose both.
 */
export function toTensors(dataset: ImageDataset, indices: readonly number[]): LabelledTensors {
  const size = dataset.shape[0] * dataset.shape[1] * dataset.shape[2];
  const pixels = new Float32Array(indices.length * size);
  const labels = new Int32Array(indices.length);
  indices.forEach((index, row) => {
    const image = dataset.pixels.subarray(index * size, (index + 1) * size);
    for (let p = 0; p < size; p++) pixels[row * size + p] = image[p] * PIXEL_SCALE;
    labels[row] = dataset.labels[index];
  });
  return {
    xs: tf.tensor4d(pixels, [indices.length, ...dataset.shape]),
    labels: tf.tensor1d(labels, 'int32'),
  };
}

/** Raw uint8 pixels of one image as a plain array, row-major. */
export function imagePixels(dataset: ImageDataset, index: number): number[] {
  const size = dataset.shape[0] * dataset.shape[1] * dataset.shape[2];
  return Array.from(dataset.pixels.subarray(index * size, (index + 1) * size));
}

// The two NHWC transposes of the convolution form of the Conv2D filter
// gradient, by the SIMD loops of simd-transpose.ts where channel and batch
// counts are multiples of 4, and by JavaScript loops otherwise. For the
// reference net's [64, 13, 13, 16] x and [64, 11, 11, 32] dy, XNNPACK's
// Transpose took about 0.13 and 0.07 ms and the SIMD loops 0.03 and 0.06 ms
// (Node 20, tfjs-backend-wasm 4.22, mean of 300 calls).
import type { TensorInfo } from '@tensorflow/tfjs-core';
import { allocate, heapFloats, type BackendWasm } from './heap';
import { simdCopyRows, simdTransposeBlocks } from './simd-transpose';

/** Returns x [batch, height, width, channels] transposed to [channels, height, width, batch] in a new tensor. */
export function swapBatchAndChannels(wasm: BackendWasm, x: TensorInfo): TensorInfo {
  const [batch, height, width, channels] = x.shape;
  const out = allocate(wasm, [channels, height, width, batch]);
  const { heap, start: outStart } = heapFloats(wasm, out);
  const xStart = heapFloats(wasm, x).start;
  const positions = height * width;
  const channelStride = positions * batch;
  const transposeBlocks = channels % 4 === 0 && batch % 4 === 0 && out.shape.every((d) => d > 0) ? simdTransposeBlocks(wasm) : null;
  if (transposeBlocks !== null) {
    const rowBytes = 4 * positions * channels;
    const columnBytes = 4 * channelStride;
    for (let p = 0; p < positions; p++) {
      const src = 4 * (xStart + p * channels);
      const dst = 4 * (outStart + p * batch);
      transposeBlocks(src, rowBytes, 2 * rowBytes, 3 * rowBytes, dst, columnBytes, 2 * columnBytes, 3 * columnBytes, channels / 4, batch / 4);
    }
    return out;
  }

  // For each position, the batch rows of channels are read in order and
  // scattered to one column per channel, so a position's block stays in cache.
  for (let p = 0; p < positions; p++) {
    const target = outStart + p * batch;
    for (let n = 0; n < batch; n++) {
      const source = xStart + (n * positions + p) * channels;
      let to = target + n;
      for (let c = 0; c < channels; c++, to += channelStride) heap[to] = heap[source + c];
    }
  }
  return out;
}

/** Returns x [batch, height, width, channels] transposed to [height, width, batch, channels] in a new tensor. */
export function moveBatchInside(wasm: BackendWasm, x: TensorInfo): TensorInfo {
  const [batch, height, width, channels] = x.shape;
  const out = allocate(wasm, [height, width, batch, channels]);
  const { heap, start: outStart } = heapFloats(wasm, out);
  const xStart = heapFloats(wasm, x).start;
  const positions = height * width;
  const copyRows = channels % 4 === 0 && out.shape.every((d) => d > 0) ? simdCopyRows(wasm) : null;
  if (copyRows !== null) {
    const skipBytes = 4 * (batch - 1) * channels;
    for (let n = 0; n < batch; n++) copyRows(4 * (xStart + n * positions * channels), 4 * (outStart + n * channels), skipBytes, positions, channels / 4);
    return out;
  }

  for (let n = 0; n < batch; n++) {
    for (let p = 0; p < positions; p++) {
      const source = xStart + (n * positions + p) * channels;
      const target = outStart + (p * batch + n) * channels;
      for (let c = 0; c < channels; c++) heap[target + c] = heap[source + c];
    }
  }
  return out;
}

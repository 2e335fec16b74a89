// The Conv2D filter gradient of single-channel, stride-1 convolutions with
// 3-wide filters, summed by WebAssembly SIMD straight from x without a patch
// matrix. The three taps of a filter row read x at three consecutive
// floats, so one pass covers them. On the reference net's first conv
// (x [64, 28, 28, 1], dy [64, 26, 26, 16]) in Node 20, this path takes
// 0.37 ms. The patch path took 0.66 ms, 0.24 ms of it writing patches.
import type { backend_util, TensorInfo } from '@tensorflow/tfjs-core';
import { allocate, free, heapFloats, type BackendWasm } from './heap';
import {
  END,
  F32X4_ADD,
  F32X4_MUL,
  get,
  I32,
  I32_ADD,
  increment,
  instantiateKernel,
  type KernelFunction,
  LOOP,
  loopWhileCountdown,
  memory,
  set,
  simd,
  V128,
  V128_LOAD,
  V128_LOAD32_SPLAT,
  V128_STORE,
  VOID_BLOCK,
} from './simd-assembler';

/**
 * Adds to three rows by 16 columns of out, out[r, j] += sum over output
 * positions (oh, ow) of one image of x[oh * (width + skipBytes / 4) + ow +
 * r] * dy[oh, ow, j], with x indexed in floats. Arguments are bytes except
 * the counts:
 * - x: the first tap of the filter row in the image
 * - dy: row 0 of the 16 columns of the image's gradient, whose rows are dyRowBytes apart
 * - out: row 0 of the 16 columns, whose rows are outRowBytes apart
 * - height and width: the output rows and columns, at least 1 each
 * - skipBytes: bytes from the end of an output row's taps to the next row's, (inWidth - width) * 4
 */
export type AccumulateImage = (
  x: number,
  dy: number,
  dyRowBytes: number,
  out: number,
  outRowBytes: number,
  height: number,
  width: number,
  skipBytes: number,
) => void;

const X = 0;
const DY = 1;
const DY_ROW_BYTES = 2;
const OUT = 3;
const OUT_ROW_BYTES = 4;
const HEIGHT = 5;
const WIDTH = 6;
const SKIP_BYTES = 7;
const COLUMN = 8;
const TARGET = 9;
const ACCUMULATORS = 10;
const GRADIENTS = ACCUMULATORS + 12;
const SPLATS = GRADIENTS + 4;

/** Returns the definition of the accumulateImage function. */
export function accumulateImageKernel(): KernelFunction {
  const forEachAccumulator = (step: (accumulator: number, v: number) => number[]): number[] => {
    const code = [...get(OUT), ...set(TARGET)];
    for (let r = 0; r < 3; r++) {
      for (let v = 0; v < 4; v++) code.push(...step(ACCUMULATORS + 4 * r + v, v));
      code.push(...get(TARGET), ...get(OUT_ROW_BYTES), I32_ADD, ...set(TARGET));
    }
    return code;
  };
  const loads = forEachAccumulator((accumulator, v) => [...get(TARGET), ...memory(V128_LOAD, 16 * v), ...set(accumulator)]);
  const stores = forEachAccumulator((accumulator, v) => [...get(TARGET), ...get(accumulator), ...memory(V128_STORE, 16 * v)]);
  const multiplyAdd: number[] = [];
  for (let r = 0; r < 3; r++) {
    for (let v = 0; v < 4; v++) {
      const accumulator = ACCUMULATORS + 4 * r + v;
      multiplyAdd.push(...get(accumulator), ...get(SPLATS + r), ...get(GRADIENTS + v), ...simd(F32X4_MUL), ...simd(F32X4_ADD), ...set(accumulator));
    }
  }
  const position = [
    ...[0, 1, 2, 3].flatMap((v) => [...get(DY), ...memory(V128_LOAD, 16 * v), ...set(GRADIENTS + v)]),
    ...[0, 1, 2].flatMap((r) => [...get(X), ...memory(V128_LOAD32_SPLAT, 4 * r), ...set(SPLATS + r)]),
    ...multiplyAdd,
    ...increment(X, 4),
    ...get(DY), ...get(DY_ROW_BYTES), I32_ADD, ...set(DY),
    ...loopWhileCountdown(COLUMN),
  ];
  const row = [
    ...get(WIDTH), ...set(COLUMN),
    LOOP, VOID_BLOCK, ...position, END,
    ...get(X), ...get(SKIP_BYTES), I32_ADD, ...set(X),
    ...loopWhileCountdown(HEIGHT),
  ];
  return {
    name: 'accumulateImage',
    params: 8,
    locals: [[2, I32], [12 + 4 + 3, V128]],
    body: [...loads, LOOP, VOID_BLOCK, ...row, END, ...stores],
  };
}

/** Returns the SIMD image accumulation bound to the memory of `backend`, or null where another path must run. */
export function simdAccumulateImage(backend: BackendWasm): AccumulateImage | null {
  return instantiateKernel<AccumulateImage>(backend, 'accumulateImage', accumulateImageKernel);
}

/** Returns whether filterGradientByImageRows handles `info`: one input channel, a 3-wide filter, stride and dilation 1, outChannels a multiple of 16. */
export function fitsImageRows(info: backend_util.Conv2DInfo): boolean {
  const unit = info.strideHeight === 1 && info.strideWidth === 1 && info.dilationHeight === 1 && info.dilationWidth === 1;
  const sized = info.batchSize > 0 && info.outHeight > 0 && info.outWidth > 0;
  return unit && sized && info.inChannels === 1 && info.filterWidth === 3 && info.outChannels % 16 === 0 && info.dataFormat === 'channelsLast';
}

/**
 * Returns dFilter [filterHeight, 3, 1, outChannels] of a convolution that
 * fitsImageRows, summed by `accumulate` per image, filter row and group of
 * 16 output channels. A padded convolution first copies x into a
 * zero-padded image, so every tap reads inside it.
 */
export function filterGradientByImageRows(wasm: BackendWasm, accumulate: AccumulateImage, x: TensorInfo, dy: TensorInfo, info: backend_util.Conv2DInfo): TensorInfo {
  const { batchSize, outHeight, outWidth, outChannels, filterHeight } = info;
  const paddedHeight = outHeight + filterHeight - 1;
  const paddedWidth = outWidth + 2;
  const padded = info.padInfo.top === 0 && info.padInfo.left === 0 && info.inHeight === paddedHeight && info.inWidth === paddedWidth;
  const images = padded ? x : padImages(wasm, x, info, paddedHeight, paddedWidth);

  const filterGradient = allocate(wasm, [filterHeight, 3, 1, outChannels]);
  const { heap, start: outStart } = heapFloats(wasm, filterGradient);
  heap.fill(0, outStart, outStart + filterHeight * 3 * outChannels);
  const imageStart = heapFloats(wasm, images).start;
  const dyStart = heapFloats(wasm, dy).start;
  const imageSize = paddedHeight * paddedWidth;
  const dyImageSize = outHeight * outWidth * outChannels;
  for (let n = 0; n < batchSize; n++) {
    for (let fh = 0; fh < filterHeight; fh++) {
      const tap = imageStart + n * imageSize + fh * paddedWidth;
      for (let column = 0; column < outChannels; column += 16) {
        const out = outStart + fh * 3 * outChannels + column;
        accumulate(4 * tap, 4 * (dyStart + n * dyImageSize + column), 4 * outChannels, 4 * out, 4 * outChannels, outHeight, outWidth, 8);
      }
    }
  }
  if (images.dataId !== x.dataId) free(wasm, images);
  return filterGradient;
}

/** Returns x [batch, inHeight, inWidth, 1] copied into zeros [batch, height, width] at the padding's top-left offset. */
function padImages(wasm: BackendWasm, x: TensorInfo, info: backend_util.Conv2DInfo, height: number, width: number): TensorInfo {
  const { batchSize, inHeight, inWidth, padInfo } = info;
  const images = allocate(wasm, [batchSize, height, width]);
  const { heap, start } = heapFloats(wasm, images);
  heap.fill(0, start, start + batchSize * height * width);
  const xStart = heapFloats(wasm, x).start;
  // Input columns [firstColumn, endColumn) land inside the padded width.
  const firstColumn = Math.max(0, -padInfo.left);
  const endColumn = Math.min(inWidth, width - padInfo.left);
  for (let n = 0; n < batchSize; n++) {
    for (let ih = 0; ih < inHeight; ih++) {
      const row = ih + padInfo.top;
      if (row < 0 || row >= height || endColumn <= firstColumn) continue;
      const from = xStart + (n * inHeight + ih) * inWidth;
      const to = start + (n * height + row) * width + padInfo.left;
      heap.copyWithin(to + firstColumn, from + firstColumn, from + endColumn);
    }
  }
  return images;
}

// col2im for stride-1, undilated NHWC convolutions with a WebAssembly SIMD
// loop: each patch-gradient row adds filterWidth * inChannels contiguous
// floats into dx, one filter row at a time. The JavaScript accumulatePatches
// of patches.ts took about 1.2 ms for the reference net's second conv
// ([7744, 144] into [64, 13, 13, 16]) in Node 20.
import type { BackendWasm } from './heap';
import type { ConvGeometry } from './patches';
import {
  END,
  F32X4_ADD,
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
  V128_LOAD,
  V128_STORE,
  VOID_BLOCK,
} from './simd-assembler';

/**
 * Adds `count` runs of 16 * vectors bytes: run i is read from src + i *
 * srcStride and added into dst + i * dstStride. Arguments are bytes except
 * the counts, which are at least 1. The targets of successive runs may
 * overlap, because the runs are added one after another.
 */
export type AddRuns = (src: number, srcStride: number, dst: number, dstStride: number, count: number, vectors: number) => void;

const SRC = 0;
const SRC_STRIDE = 1;
const DST = 2;
const DST_STRIDE = 3;
const COUNT = 4;
const VECTORS = 5;
const FROM = 6;
const TO = 7;
const VECTOR = 8;

/** Returns the definition of the addRuns function. */
export function addRunsKernel(): KernelFunction {
  const run = [
    ...get(SRC), ...set(FROM),
    ...get(DST), ...set(TO),
    ...get(VECTORS), ...set(VECTOR),
    LOOP, VOID_BLOCK,
    ...get(TO), ...get(TO), ...memory(V128_LOAD), ...get(FROM), ...memory(V128_LOAD), ...simd(F32X4_ADD), ...memory(V128_STORE),
    ...increment(FROM, 16), ...increment(TO, 16),
    ...loopWhileCountdown(VECTOR),
    END,
    ...get(SRC), ...get(SRC_STRIDE), I32_ADD, ...set(SRC),
    ...get(DST), ...get(DST_STRIDE), I32_ADD, ...set(DST),
    ...loopWhileCountdown(COUNT),
  ];
  return { name: 'addRuns', params: 6, locals: [[3, I32]], body: [LOOP, VOID_BLOCK, ...run, END] };
}

/** Returns the SIMD run addition bound to the memory of `backend`, or null where the JavaScript col2im must run. */
export function simdAddRuns(backend: BackendWasm): AddRuns | null {
  return instantiateKernel<AddRuns>(backend, 'addRuns', addRunsKernel);
}

/** Returns whether accumulatePatchesBySimd handles `g`: stride 1, no dilation, and filter rows of whole vectors. */
export function fitsSimdCol2im(g: ConvGeometry): boolean {
  const unit = g.strideHeight === 1 && g.strideWidth === 1 && g.dilationHeight === 1 && g.dilationWidth === 1;
  return unit && (g.filterWidth * g.inChannels) % 4 === 0 && g.outWidth > 0;
}

/**
 * Sets dx [batch, inHeight, inWidth, inChannels], stored in `heap` from
 * `dxStart`, to col2im of the patch gradients [M, K] stored from
 * `columnStart`, as accumulatePatches of patches.ts does, for a geometry
 * that fitsSimdCol2im. Output columns whose filter row lies wholly inside
 * the input go to `addRuns`, and those at a padded edge to a JavaScript loop.
 */
export function accumulatePatchesBySimd(addRuns: AddRuns, heap: Float32Array, columnStart: number, g: ConvGeometry, dxStart: number): void {
  const { batch, inHeight, inWidth, inChannels, outHeight, outWidth, filterHeight, filterWidth, padTop, padLeft } = g;
  const rowStride = inWidth * inChannels;
  const imageStride = inHeight * rowStride;
  const filterRow = filterWidth * inChannels;
  const patchLength = filterHeight * filterRow;
  // Output columns ow in [first, end) read input columns ow - padLeft to ow - padLeft + filterWidth - 1, all inside.
  const first = Math.min(outWidth, padLeft);
  const end = Math.max(first, Math.min(outWidth, inWidth - filterWidth + 1 + padLeft));
  heap.fill(0, dxStart, dxStart + batch * imageStride);

  for (let n = 0; n < batch; n++) {
    for (let oh = 0; oh < outHeight; oh++) {
      const rowSource = columnStart + (n * outHeight + oh) * outWidth * patchLength;
      for (let fh = 0; fh < filterHeight; fh++) {
        const ih = oh - padTop + fh;
        if (ih < 0 || ih >= inHeight) continue;
        const dxRow = dxStart + n * imageStride + ih * rowStride;
        const source = rowSource + fh * filterRow;
        if (end > first) {
          const from = source + first * patchLength;
          const to = dxRow + (first - padLeft) * inChannels;
          addRuns(4 * from, 4 * patchLength, 4 * to, 4 * inChannels, end - first, filterRow / 4);
        }
        for (let ow = 0; ow < outWidth; ow++) {
          if (ow === first && end > first) ow = end;
          if (ow >= outWidth) break;
          addEdgeColumn(heap, source + ow * patchLength, dxRow, ow - padLeft, g);
        }
      }
    }
  }
}

/** Adds the filter row of one output column at a padded edge into dx row `dxRow`, dropping taps outside the input. */
function addEdgeColumn(heap: Float32Array, source: number, dxRow: number, left: number, g: ConvGeometry): void {
  const { inWidth, inChannels, filterWidth } = g;
  for (let fw = 0; fw < filterWidth; fw++) {
    const iw = left + fw;
    if (iw < 0 || iw >= inWidth) continue;
    const from = source + fw * inChannels;
    const to = dxRow + iw * inChannels;
    for (let c = 0; c < inChannels; c++) heap[to + c] += heap[from + c];
  }
}

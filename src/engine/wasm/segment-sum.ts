// UnsortedSegmentSum for the wasm backend, the gradient of Gather (and so of
// embedding lookups), which tfjs-backend-wasm 4.22 lacks.
import { util, type KernelConfig, type KernelFunc, type TensorInfo, type UnsortedSegmentSumAttrs } from '@tensorflow/tfjs-core';
import type { BackendWasm } from './heap';

/**
 * Sums the slices of x [...segmentIds.shape, ...rest] that share a segment
 * id into an output [numSegments, ...rest] of x's dtype (float32 or int32).
 * Slices whose id is negative or not below numSegments are dropped, as
 * TensorFlow drops negative ids.
 */
const unsortedSegmentSum: KernelFunc = ({ inputs, backend, attrs }) => {
  const wasm = backend as BackendWasm;
  const { x, segmentIds } = inputs as { x: TensorInfo; segmentIds: TensorInfo };
  const { numSegments } = attrs as unknown as UnsortedSegmentSumAttrs;
  if (x.dtype !== 'float32' && x.dtype !== 'int32') {
    throw new Error(`UnsortedSegmentSum on wasm supports float32 and int32 data, got ${x.dtype}: cast x first`);
  }
  const idCount = util.sizeFromShape(segmentIds.shape);
  const sliceSize = idCount === 0 ? 0 : util.sizeFromShape(x.shape) / idCount;
  const outShape = [numSegments, ...x.shape.slice(segmentIds.shape.length)];

  const out = wasm.makeOutput(outShape, x.dtype);
  const values = wasm.typedArrayFromHeap(x) as Float32Array | Int32Array;
  const ids = wasm.typedArrayFromHeap(segmentIds) as Int32Array;
  const sums = wasm.typedArrayFromHeap(out) as Float32Array | Int32Array;
  sums.fill(0);
  for (let i = 0; i < idCount; i++) {
    const segment = ids[i];
    if (segment < 0 || segment >= numSegments) continue;
    const source = i * sliceSize;
    const target = segment * sliceSize;
    for (let j = 0; j < sliceSize; j++) sums[target + j] += values[source + j];
  }
  return out;
};

export const unsortedSegmentSumConfig: KernelConfig = {
  kernelName: 'UnsortedSegmentSum',
  backendName: 'wasm',
  kernelFunc: unsortedSegmentSum,
};

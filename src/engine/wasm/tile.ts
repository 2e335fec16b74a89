// Tile for the wasm backend as block copies. tfjs-core's BatchNorm gradient
// tiles a [1, 1, 1, channels] tensor to the whole input, which the
// backend's per-element Tile kernel made the slowest kernel of a training
// step of a MobileNet-like candidate (Node 20, tfjs-backend-wasm 4.22).
import { util, type KernelConfig, type KernelFunc, type TensorInfo, type TileAttrs } from '@tensorflow/tfjs-core';
import type { BackendWasm } from './heap';

type Elements = Float32Array | Int32Array | Uint8Array;

/**
 * Returns a Tile kernel config that repeats float32, int32 and bool tensors
 * with copyWithin and passes other dtypes to `original`, the backend's own
 * config, whose setup it keeps.
 */
export function createTileConfig(original: KernelConfig): KernelConfig {
  const tile: KernelFunc = (args) => {
    const wasm = args.backend as BackendWasm;
    const { x } = args.inputs as { x: TensorInfo };
    const { reps } = args.attrs as unknown as TileAttrs;
    if (x.dtype !== 'float32' && x.dtype !== 'int32' && x.dtype !== 'bool') return original.kernelFunc(args);
    if (reps.length !== x.shape.length) return original.kernelFunc(args);

    const outShape = x.shape.map((size, axis) => size * reps[axis]);
    const out = wasm.makeOutput(outShape, x.dtype);
    if (util.sizeFromShape(outShape) === 0) return out;
    const source = wasm.typedArrayFromHeap(x) as Elements;
    const target = wasm.typedArrayFromHeap(out) as Elements;
    const outStrides = [...util.computeStrides(outShape), 1];
    const inStrides = [...util.computeStrides(x.shape), 1];
    tileAxis(source, target, x.shape, reps, inStrides, outStrides, 0, 0, 0);
    return out;
  };
  return { kernelName: 'Tile', backendName: 'wasm', kernelFunc: tile, setupFunc: original.setupFunc };
}

/**
 * Writes the tile of `source` from axis `axis` on, starting at `sourceStart`
 * and `targetStart`. Each slice of the axis is written once, recursively or
 * by a copy on the last axis. Then the block of all slices is copied
 * reps[axis] - 1 more times, doubling the copied part each time.
 */
function tileAxis(
  source: Elements,
  target: Elements,
  shape: number[],
  reps: number[],
  inStrides: number[],
  outStrides: number[],
  axis: number,
  sourceStart: number,
  targetStart: number,
): void {
  const size = shape[axis];
  if (axis === shape.length - 1) {
    for (let i = 0; i < size; i++) target[targetStart + i] = source[sourceStart + i];
  } else {
    for (let i = 0; i < size; i++) {
      tileAxis(source, target, shape, reps, inStrides, outStrides, axis + 1, sourceStart + i * inStrides[axis], targetStart + i * outStrides[axis]);
    }
  }
  const block = size * outStrides[axis];
  const total = block * reps[axis];
  for (let filled = block; filled < total; ) {
    const length = Math.min(filled, total - filled);
    target.copyWithin(targetStart + filled, targetStart, targetStart + length);
    filled += length;
  }
}

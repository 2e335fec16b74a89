// Element-wise kernels for the wasm backend that the gradient of
// clipByValue (ReLU6) runs on every activation: the comparisons and
// LogicalAnd, plus Identity, Cast and the bias Add of bias-add.ts. For a
// [64, 28, 28, 48] tensor, Node 20 and tfjs-backend-wasm 4.22 took about
// 7 ms per comparison with a scalar or LogicalAnd, and these branch-free
// loops 1 to 2 ms. Identity and a Cast to the same dtype share the input's
// data instead of copying it, as the cpu backend does.
import { backend_util, getKernel, util, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import { createBiasAddConfig } from './bias-add';
import type { BackendWasm } from './heap';

type Numbers = Float32Array | Int32Array;

/** The comparisons with a fast path here. */
export type Comparison = 'GreaterEqual' | 'LessEqual' | 'Greater' | 'Less';

/** The comparison that gives the same result with its operands swapped. */
const SWAPPED: Record<Comparison, Comparison> = {
  GreaterEqual: 'LessEqual',
  LessEqual: 'GreaterEqual',
  Greater: 'Less',
  Less: 'Greater',
};

/**
 * Loops that write 1 where a[i] compares true with b[i] and 0 elsewhere
 * (also for NaN). The unary + turns the boolean into a number without a
 * branch.
 */
const COMPARE: Record<Comparison, (a: Numbers, b: Numbers, out: Uint8Array) => void> = {
  GreaterEqual: (a, b, out) => {
    for (let i = 0; i < out.length; i++) out[i] = +(a[i] >= b[i]);
  },
  LessEqual: (a, b, out) => {
    for (let i = 0; i < out.length; i++) out[i] = +(a[i] <= b[i]);
  },
  Greater: (a, b, out) => {
    for (let i = 0; i < out.length; i++) out[i] = +(a[i] > b[i]);
  },
  Less: (a, b, out) => {
    for (let i = 0; i < out.length; i++) out[i] = +(a[i] < b[i]);
  },
};

/**
 * Loops that write to word w of `out` the four results of comparing
 * a[4w] to a[4w + 3] with the scalar s, one per byte in little-endian
 * order, so one store writes four bools. Only used where typed arrays are
 * little-endian, as on x86 and Arm.
 */
const COMPARE_SCALAR_WORDS: Record<Comparison, (a: Numbers, s: number, out: Int32Array) => void> = {
  GreaterEqual: (a, s, out) => {
    for (let w = 0, i = 0; w < out.length; w++, i += 4) {
      out[w] = +(a[i] >= s) | (+(a[i + 1] >= s) << 8) | (+(a[i + 2] >= s) << 16) | (+(a[i + 3] >= s) << 24);
    }
  },
  LessEqual: (a, s, out) => {
    for (let w = 0, i = 0; w < out.length; w++, i += 4) {
      out[w] = +(a[i] <= s) | (+(a[i + 1] <= s) << 8) | (+(a[i + 2] <= s) << 16) | (+(a[i + 3] <= s) << 24);
    }
  },
  Greater: (a, s, out) => {
    for (let w = 0, i = 0; w < out.length; w++, i += 4) {
      out[w] = +(a[i] > s) | (+(a[i + 1] > s) << 8) | (+(a[i + 2] > s) << 16) | (+(a[i + 3] > s) << 24);
    }
  },
  Less: (a, s, out) => {
    for (let w = 0, i = 0; w < out.length; w++, i += 4) {
      out[w] = +(a[i] < s) | (+(a[i + 1] < s) << 8) | (+(a[i + 2] < s) << 16) | (+(a[i + 3] < s) << 24);
    }
  },
};

/** Whether typed arrays store the lowest byte of a word first. */
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** Compares every element of `a` with the scalar `s` into `out`: words where aligned, then the last few elements. */
function compareWithScalar(comparison: Comparison, a: Numbers, s: number, out: Uint8Array): void {
  const length = out.length;
  let i = 0;
  if (LITTLE_ENDIAN && out.byteOffset % 4 === 0) {
    const words = length >>> 2;
    COMPARE_SCALAR_WORDS[comparison](a, s, new Int32Array(out.buffer, out.byteOffset, words));
    i = words * 4;
  }
  const test = TEST[comparison];
  for (; i < length; i++) out[i] = +test(a[i], s);
}

/** Each comparison as a predicate, for the few elements after the last whole word. */
const TEST: Record<Comparison, (x: number, s: number) => boolean> = {
  GreaterEqual: (x, s) => x >= s,
  LessEqual: (x, s) => x <= s,
  Greater: (x, s) => x > s,
  Less: (x, s) => x < s,
};

/**
 * Returns the output shape and which operand is broadcast for a binary op:
 * 'none' when both have the output's shape, and 'a' or 'b' when that one
 * has a single element. Any other broadcast returns null, and the fast
 * paths leave it to the backend's kernels.
 */
function broadcastSide(a: TensorInfo, b: TensorInfo): { outShape: number[]; side: 'none' | 'a' | 'b' } | null {
  const outShape = backend_util.assertAndGetBroadcastShape(a.shape, b.shape);
  const outSize = util.sizeFromShape(outShape);
  if (util.arraysEqual(a.shape, outShape) && util.arraysEqual(b.shape, outShape)) return { outShape, side: 'none' };
  if (util.sizeFromShape(b.shape) === 1 && util.sizeFromShape(a.shape) === outSize) return { outShape, side: 'b' };
  if (util.sizeFromShape(a.shape) === 1 && util.sizeFromShape(b.shape) === outSize) return { outShape, side: 'a' };
  return null;
}

/**
 * Returns a config for `comparison` on float32 or int32 operands of one
 * dtype, with the same shape or one a single element. Other cases go to
 * `original`, the backend's own config, whose setup it keeps.
 */
export function createComparisonConfig(original: KernelConfig, comparison: Comparison): KernelConfig {
  const compare: KernelFunc = (args) => {
    const wasm = args.backend as BackendWasm;
    const { a, b } = args.inputs as { a: TensorInfo; b: TensorInfo };
    const numeric = a.dtype === b.dtype && (a.dtype === 'float32' || a.dtype === 'int32');
    const broadcast = numeric ? broadcastSide(a, b) : null;
    if (broadcast === null) return original.kernelFunc(args);

    const out = wasm.makeOutput(broadcast.outShape, 'bool');
    const outValues = wasm.typedArrayFromHeap(out) as Uint8Array;
    const aValues = wasm.typedArrayFromHeap(a) as Numbers;
    const bValues = wasm.typedArrayFromHeap(b) as Numbers;
    if (broadcast.side === 'none') COMPARE[comparison](aValues, bValues, outValues);
    else if (broadcast.side === 'b') compareWithScalar(comparison, aValues, bValues[0], outValues);
    else compareWithScalar(SWAPPED[comparison], bValues, aValues[0], outValues);
    return out;
  };
  return { kernelName: comparison, backendName: 'wasm', kernelFunc: compare, setupFunc: original.setupFunc };
}

/** Returns a LogicalAnd config for bool operands of one shape, or one of a single element; others go to `original`. */
export function createLogicalAndConfig(original: KernelConfig): KernelConfig {
  const logicalAnd: KernelFunc = (args) => {
    const wasm = args.backend as BackendWasm;
    const { a, b } = args.inputs as { a: TensorInfo; b: TensorInfo };
    const broadcast = a.dtype === 'bool' && b.dtype === 'bool' ? broadcastSide(a, b) : null;
    if (broadcast === null) return original.kernelFunc(args);

    const out = wasm.makeOutput(broadcast.outShape, 'bool');
    const outValues = wasm.typedArrayFromHeap(out) as Uint8Array;
    const aValues = wasm.typedArrayFromHeap(a) as Uint8Array;
    const bValues = wasm.typedArrayFromHeap(b) as Uint8Array;
    // Bools are stored as 0 or 1, so a bitwise and is the logical and.
    if (broadcast.side === 'none') {
      andBytes(aValues, bValues, outValues);
    } else {
      const single = broadcast.side === 'a' ? aValues[0] : bValues[0];
      const other = broadcast.side === 'a' ? bValues : aValues;
      for (let i = 0; i < outValues.length; i++) outValues[i] = other[i] & single;
    }
    return out;
  };
  return { kernelName: 'LogicalAnd', backendName: 'wasm', kernelFunc: logicalAnd, setupFunc: original.setupFunc };
}

/**
 * Writes a[i] & b[i] to out[i], four bytes per step where all three views
 * start on a 4-byte boundary, as the wasm allocator's blocks do.
 */
function andBytes(a: Uint8Array, b: Uint8Array, out: Uint8Array): void {
  const length = out.length;
  let i = 0;
  if (a.byteOffset % 4 === 0 && b.byteOffset % 4 === 0 && out.byteOffset % 4 === 0) {
    const words = length >>> 2;
    const aWords = new Int32Array(a.buffer, a.byteOffset, words);
    const bWords = new Int32Array(b.buffer, b.byteOffset, words);
    const outWords = new Int32Array(out.buffer, out.byteOffset, words);
    for (let w = 0; w < words; w++) outWords[w] = aWords[w] & bWords[w];
    i = words * 4;
  }
  for (; i < length; i++) out[i] = a[i] & b[i];
}

/**
 * Returns an Identity config that shares x's data with the output and
 * counts one more reference to it, like the cpu backend's Identity, for
 * every dtype but string, which goes to `original`. Sharing relies on
 * kernels never writing into their inputs, which tfjs tensors assume.
 */
export function createIdentityConfig(original: KernelConfig): KernelConfig {
  const identity: KernelFunc = (args) => {
    const wasm = args.backend as BackendWasm;
    const { x } = args.inputs as { x: TensorInfo };
    if (x.dtype === 'string') return original.kernelFunc(args);
    wasm.incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
  };
  return { kernelName: 'Identity', backendName: 'wasm', kernelFunc: identity, setupFunc: original.setupFunc };
}

/**
 * Returns a Cast config that shares x's data when the dtype does not change,
 * as the cpu backend does, where the backend's own Cast copies it. The ReLU
 * gradient casts a float32 tensor to float32 on every activation. Other
 * casts go to `original`.
 */
export function createCastConfig(original: KernelConfig): KernelConfig {
  const cast: KernelFunc = (args) => {
    const wasm = args.backend as BackendWasm;
    const { x } = args.inputs as { x: TensorInfo };
    const { dtype } = args.attrs as { dtype: string };
    if (x.dtype !== dtype || dtype === 'string') return original.kernelFunc(args);
    wasm.incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
  };
  return { kernelName: 'Cast', backendName: 'wasm', kernelFunc: cast, setupFunc: original.setupFunc };
}

const COMPARISONS: Comparison[] = ['GreaterEqual', 'LessEqual', 'Greater', 'Less'];

/**
 * Passes to `replace` the config of this file for each of its kernels that
 * the wasm backend has registered. Each new config falls back to the
 * backend's own one for the cases it does not cover.
 */
export function replaceElementwiseKernels(replace: (config: KernelConfig) => void): void {
  for (const comparison of COMPARISONS) {
    const original = getKernel(comparison, 'wasm');
    if (original !== undefined) replace(createComparisonConfig(original, comparison));
  }
  const logicalAnd = getKernel('LogicalAnd', 'wasm');
  if (logicalAnd !== undefined) replace(createLogicalAndConfig(logicalAnd));
  const identity = getKernel('Identity', 'wasm');
  if (identity !== undefined) replace(createIdentityConfig(identity));
  const cast = getKernel('Cast', 'wasm');
  if (cast !== undefined) replace(createCastConfig(cast));
  const add = getKernel('Add', 'wasm');
  if (add !== undefined) replace(createBiasAddConfig(add));
}

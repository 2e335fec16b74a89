// Add of a per-channel bias for the wasm backend: x [..., channels] plus
// b [channels], which every conv and dense layer runs in training because
// tfjs does not fuse the bias there. A WebAssembly SIMD loop replaces the
// backend's general broadcast Add, which took about 0.5 ms for
// [64, 26, 26, 16] + [16] in Node 20 with tfjs-backend-wasm 4.22.
import { util, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import { heapFloats, type BackendWasm } from './heap';
import {
  END,
  F32X4_ADD,
  get,
  I32,
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
 * Writes out[r, c] = x[r, c] + bias[c] for r < rows and c < 4 * vectors.
 * Arguments are byte addresses in the backend's memory, a row count of at
 * least 1 and the channel count in groups of four, at least 1. out may be x.
 */
export type AddBias = (x: number, bias: number, out: number, rows: number, vectors: number) => void;

// Parameters and locals of the function, by index.
const X = 0;
const BIAS = 1;
const OUT = 2;
const ROWS = 3;
const VECTORS = 4;
const COLUMN = 5;
const BIAS_AT = 6;

/** Returns the definition of the addBias function. */
export function addBiasKernel(): KernelFunction {
  const row = [
    ...get(BIAS), ...set(BIAS_AT),
    ...get(VECTORS), ...set(COLUMN),
    LOOP, VOID_BLOCK,
    ...get(OUT), ...get(X), ...memory(V128_LOAD), ...get(BIAS_AT), ...memory(V128_LOAD), ...simd(F32X4_ADD), ...memory(V128_STORE),
    ...increment(X, 16), ...increment(BIAS_AT, 16), ...increment(OUT, 16),
    ...loopWhileCountdown(COLUMN),
    END,
  ];
  return {
    name: 'addBias',
    params: 5,
    locals: [[2, I32]],
    body: [LOOP, VOID_BLOCK, ...row, ...loopWhileCountdown(ROWS), END],
  };
}

/** Returns the SIMD bias addition bound to the memory of `backend`, or null where the backend's Add must run. */
export function simdAddBias(backend: BackendWasm): AddBias | null {
  return instantiateKernel<AddBias>(backend, 'addBias', addBiasKernel);
}

/**
 * Returns which operand of a float32 Add is the bias: a rank-1 tensor whose
 * length, a multiple of 4, is the other operand's last dimension. Returns
 * null for every other case, which the backend's Add computes.
 */
function findBias(a: TensorInfo, b: TensorInfo): { x: TensorInfo; bias: TensorInfo } | null {
  if (a.dtype !== 'float32' || b.dtype !== 'float32') return null;
  for (const [x, bias] of [[a, b], [b, a]]) {
    const channels = bias.shape.length === 1 ? bias.shape[0] : 0;
    if (x.shape.length >= 2 && channels > 0 && channels % 4 === 0 && x.shape[x.shape.length - 1] === channels) return { x, bias };
  }
  return null;
}

/**
 * Returns an Add config that adds a bias over the last axis with the SIMD
 * loop and leaves every other case, and runtimes without SIMD, to
 * `original`, the backend's own config, whose setup it keeps. Float
 * addition commutes, so which operand is the bias does not change the sum.
 */
export function createBiasAddConfig(original: KernelConfig): KernelConfig {
  const add: KernelFunc = (args) => {
    const wasm = args.backend as BackendWasm;
    const { a, b } = args.inputs as { a: TensorInfo; b: TensorInfo };
    const operands = findBias(a, b);
    const addBias = operands === null ? null : simdAddBias(wasm);
    if (operands === null || addBias === null) return original.kernelFunc(args);

    const { x, bias } = operands;
    const channels = bias.shape[0];
    const rows = util.sizeFromShape(x.shape) / channels;
    const out = wasm.makeOutput(x.shape, 'float32');
    if (rows === 0) return out;
    const outStart = heapFloats(wasm, out).start;
    addBias(4 * heapFloats(wasm, x).start, 4 * heapFloats(wasm, bias).start, 4 * outStart, rows, channels / 4);
    return out;
  };
  return { kernelName: 'Add', backendName: 'wasm', kernelFunc: add, setupFunc: original.setupFunc };
}

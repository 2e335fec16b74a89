// Access to the tfjs-backend-wasm heap for the training kernels of this
// folder: temporary tensors, Float32Array views of tensor memory, and the
// backend's own matrix product (XNNPACK) called directly as a kernel.
import { getKernel, type DataId, type TensorInfo } from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

export type { BackendWasm };

/**
 * Returns the whole wasm heap as floats and the index of `info`'s first
 * element in it, so loops can copy between tensors with copyWithin. The
 * view is only valid until the next allocation on the heap, because a heap
 * that grows replaces its ArrayBuffer: take it after every makeOutput call.
 */
export function heapFloats(backend: BackendWasm, info: TensorInfo): { heap: Float32Array; start: number } {
  const { memoryOffset } = backend.dataIdMap.get(info.dataId as DataId) as { memoryOffset: number };
  const module = backend.wasm as unknown as { HEAPF32: Float32Array; wasmMemory?: WebAssembly.Memory };
  // The threaded build's memory is shared and can grow from another thread
  // without the module refreshing HEAPF32, so the view is checked against it.
  const memory = module.wasmMemory;
  const heap = memory !== undefined && module.HEAPF32.buffer !== memory.buffer ? new Float32Array(memory.buffer) : module.HEAPF32;
  return { heap, start: memoryOffset >>> 2 };
}

/** Allocates an uninitialised float32 tensor on the heap; free it with `free` unless it is returned. */
export function allocate(backend: BackendWasm, shape: number[]): TensorInfo {
  return backend.makeOutput(shape, 'float32');
}

/** Frees tensors that a kernel allocated for its own use. */
export function free(backend: BackendWasm, ...infos: TensorInfo[]): void {
  for (const info of infos) backend.disposeData(info.dataId as DataId);
}

/**
 * Multiplies `a` [m, k] by `b` [k, n] into a new [m, n] tensor with the wasm
 * backend's BatchMatMul kernel, the fast path of XNNPACK. Neither input is
 * transposed: in tfjs-backend-wasm 4.22 a transposed operand made a
 * [7744, 144] by [144, 32] product 8 to 13 times slower in Node.
 */
export function matMul(backend: BackendWasm, a: TensorInfo, b: TensorInfo): TensorInfo {
  const kernel = getKernel('BatchMatMul', 'wasm');
  if (kernel === undefined) {
    throw new Error('the wasm BatchMatMul kernel is not registered: import @tensorflow/tfjs-backend-wasm before training on wasm');
  }
  const product = kernel.kernelFunc({
    inputs: { a, b },
    backend,
    attrs: { transposeA: false, transposeB: false },
  }) as TensorInfo;
  return { dataId: product.dataId, shape: [a.shape[0], b.shape[1]], dtype: 'float32' };
}

/**
 * Transposes the last two dimensions of `info` into a new tensor with the
 * wasm backend's Transpose kernel (XNNPACK's transpose in tfjs-backend-wasm 4.22).
 */
export function transposeLastTwo(backend: BackendWasm, info: TensorInfo): TensorInfo {
  const rank = info.shape.length;
  const perm = Array.from({ length: rank }, (_, i) => i);
  perm[rank - 2] = rank - 1;
  perm[rank - 1] = rank - 2;
  return transpose(backend, info, perm);
}

/**
 * Permutes the dimensions of `info` into a new tensor with the wasm
 * backend's Transpose kernel: output dimension i is input dimension perm[i].
 */
export function transpose(backend: BackendWasm, info: TensorInfo, perm: number[]): TensorInfo {
  const kernel = getKernel('Transpose', 'wasm');
  if (kernel === undefined) {
    throw new Error('the wasm Transpose kernel is not registered: import @tensorflow/tfjs-backend-wasm before training on wasm');
  }
  return kernel.kernelFunc({ inputs: { x: info }, backend, attrs: { perm } }) as TensorInfo;
}

/** Returns `info` with a new shape of the same size and memory layout, sharing its data. */
export function withShape(info: TensorInfo, shape: number[]): TensorInfo {
  return { dataId: info.dataId, shape, dtype: info.dtype };
}

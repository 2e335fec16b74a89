// URLs of the tfjs-backend-wasm binaries as Vite serves them from the
// studio's own origin. Browser only: `?url` imports need Vite, so the
// backend module imports this file lazily and never in Node.
import plainWasmUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import simdWasmUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import threadedSimdWasmUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';

/**
 * The map setWasmPaths takes: tfjs picks the threaded SIMD binary when the
 * context is cross-origin isolated (SharedArrayBuffer exists), else the SIMD
 * or the plain one.
 */
export const WASM_BINARY_URLS: Record<string, string> = {
  'tfjs-backend-wasm.wasm': plainWasmUrl,
  'tfjs-backend-wasm-simd.wasm': simdWasmUrl,
  'tfjs-backend-wasm-threaded-simd.wasm': threadedSimdWasmUrl,
};

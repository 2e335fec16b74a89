import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

/**
 * Cross-origin isolation: with these headers the page and its workers get
 * SharedArrayBuffer, which the threaded SIMD build of tfjs-backend-wasm
 * needs. Every resource must then come from this origin (or send CORP).
 */
export const CROSS_ORIGIN_ISOLATION_HEADERS = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  plugins: [react()],
  worker: { format: 'es' },
  // Pre-bundle the backends that workers import lazily; otherwise Vite finds
  // them at the first search and reloads the page, interrupting that run.
  optimizeDeps: {
    include: [
      '@tensorflow/tfjs',
      '@tensorflow/tfjs-core',
      '@tensorflow/tfjs-backend-cpu',
      '@tensorflow/tfjs-backend-webgpu',
      '@tensorflow/tfjs-backend-wasm',
      'comlink',
      'idb',
      'd3',
    ],
  },
  server: { host: '127.0.0.1', port: 5173, strictPort: false, headers: CROSS_ORIGIN_ISOLATION_HEADERS },
  preview: { host: '127.0.0.1', port: 4173, headers: CROSS_ORIGIN_ISOLATION_HEADERS },
  // NOTE: minify is off because Vite 8's oxc minifier renames variables that
  // tfjs-backend-wasm 4.22 needs by name. That package starts its wasm threads
  // from the source text of one of its functions (Function.toString), and
  // minified, the threads failed with "ReferenceError: e is not defined".
  build: { target: 'es2022', chunkSizeWarningLimit: 12000, minify: false },
});

// Chooses and initialises the tfjs backend that trains candidates, and
// describes the device for trial metrics. Backend packages are imported
// lazily, so a page that never requests WebGPU or WASM never loads them.
import * as tf from '@tensorflow/tfjs';
import type { BackendName } from '../core/run/types';
import { createLogger } from '../core/log';
import { NasError } from '../core/errors';
import { registerWasmTrainingKernels } from './wasm';

const log = createLogger('engine');

/**
 * Order tried by initBackend('auto'), which picks without measuring. Trainer
 * workers and the CLI choose with the training probe (./probe.ts) instead,
 * and that probe also measures wasm.
 */
const AUTO_ORDER: BackendName[] = ['webgpu', 'webgl', 'cpu'];

async function registerBackend(name: BackendName): Promise<void> {
  if (name === 'webgpu') await import('@tensorflow/tfjs-backend-webgpu');
  if (name === 'wasm') {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    await useSameOriginWasmBinaries(wasm.setWasmPaths);
    if (wasmThreadCount !== undefined) wasm.setThreadsCount(wasmThreadCount);
    registerWasmTrainingKernels();
  }
  // webgl and cpu are registered by @tensorflow/tfjs itself.
}

let wasmPathsSet = false;
let wasmThreadCount: number | undefined;

/**
 * Sets the number of threads of the wasm backend's XNNPACK thread pool, a
 * positive integer. It takes effect only when called before the wasm backend
 * first initialises in this thread, and only where the threaded binary
 * loads (a cross-origin isolated page or worker). Without it, tfjs 4.22
 * uses half the logical cores, at most 8.
 */
export function setWasmThreadCount(count: number): void {
  if (!Number.isInteger(count) || count < 1) {
    throw new NasError('invalid_config', `wasm thread count must be a positive integer, got ${count}: pass 1 or more`);
  }
  wasmThreadCount = count;
}

/**
 * Points tfjs-backend-wasm at the .wasm files that Vite serves from the
 * page's origin, so no binary is fetched from a CDN. Node keeps the
 * package's default, which reads the files next to its own script.
 */
async function useSameOriginWasmBinaries(setWasmPaths: (paths: Record<string, string>) => void): Promise<void> {
  const inBrowser = typeof process === 'undefined' || process.versions?.node === undefined;
  if (wasmPathsSet || !inBrowser) return;
  const { WASM_BINARY_URLS } = await import('./wasmBinaries');
  setWasmPaths(WASM_BINARY_URLS);
  wasmPathsSet = true;
}

/**
 * Registers `name` if needed and makes it the active backend. Returns false,
 * and logs the error at debug level, when it cannot initialise here.
 */
export async function trySetBackend(name: BackendName): Promise<boolean> {
  let restoreCores: (() => void) | null = null;
  try {
    await registerBackend(name);
    if (name === 'wasm' && wasmThreadCount !== undefined) restoreCores = reportCoresForWasmThreads(wasmThreadCount);
    const ok = await tf.setBackend(name);
    if (ok) await tf.ready();
    return ok && tf.getBackend() === name;
  } catch (error) {
    log.debug(`backend ${name} failed to initialise`, error);
    return false;
  } finally {
    restoreCores?.();
  }
}

/**
 * Lets the wasm backend start `threads` XNNPACK threads. tfjs-backend-wasm
 * 4.22 caps them at navigator.hardwareConcurrency / 2 because it assumes two
 * hardware threads per core, so 2 single-threaded cores get 1 thread. While
 * the backend initialises, this reports twice `threads` as the core count
 * of this thread's navigator. Returns the function that removes the override,
 * or null where nothing was changed (Node, or enough cores reported).
 */
function reportCoresForWasmThreads(threads: number): (() => void) | null {
  const nav = globalThis.navigator as { hardwareConcurrency?: number } | undefined;
  const inNode = typeof process !== 'undefined' && process.versions?.node !== undefined;
  if (inNode || nav === undefined || (nav.hardwareConcurrency ?? 0) >= threads * 2) return null;
  Object.defineProperty(nav, 'hardwareConcurrency', { value: threads * 2, configurable: true });
  return () => {
    delete nav.hardwareConcurrency;
  };
}

/**
 * Makes `preference` the active tfjs backend and returns the backend in use.
 * 'auto' tries webgpu, webgl, then cpu, and skips webgpu when the browser
 * offers only a software fallback adapter. An explicit backend that fails to
 * initialise falls back to the 'auto' order with a logged warning. 'wasm'
 * trains with the gradient kernels of ./wasm registered on top of it.
 * Throws NasError('internal') only if even cpu fails to initialise.
 */
export async function initBackend(preference: 'auto' | BackendName): Promise<BackendName> {
  if (preference !== 'auto') {
    if (await trySetBackend(preference)) return preference;
    log.warn(`backend ${preference} is not available here, falling back to webgpu, webgl or cpu`);
  }
  const softwareGpu = await hasSoftwareWebGpuAdapter();
  for (const name of AUTO_ORDER) {
    if (name === 'webgpu' && softwareGpu) {
      log.info('skipping webgpu: the only adapter is a software fallback (e.g. SwiftShader), where webgl or cpu train faster');
      continue;
    }
    if (await trySetBackend(name)) return name;
  }
  throw new NasError('internal', `no tfjs backend could be initialised (tried ${AUTO_ORDER.join(', ')})`);
}

/**
 * Returns whether the browser's WebGPU adapter is a software fallback, such
 * as SwiftShader in a machine without a GPU. There, a small candidate trained
 * about twice as slowly on webgpu as on cpu (Chromium 156, 2 cores, the
 * browser search test), so 'auto' does not pick it.
 */
async function hasSoftwareWebGpuAdapter(): Promise<boolean> {
  const gpu = (globalThis.navigator as Navigator & { gpu?: { requestAdapter(): Promise<unknown> } } | undefined)?.gpu;
  if (gpu === undefined) return false;
  try {
    const adapter = (await gpu.requestAdapter()) as {
      isFallbackAdapter?: boolean;
      info?: { isFallbackAdapter?: boolean; architecture?: string; vendor?: string };
    } | null;
    if (adapter === null) return false;
    const info = adapter.info;
    return (
      adapter.isFallbackAdapter === true ||
      info?.isFallbackAdapter === true ||
      /swiftshader/i.test(`${info?.architecture ?? ''} ${info?.vendor ?? ''}`)
    );
  } catch {
    return false;
  }
}

/**
 * Returns a short description of the device that runs the active backend: the GPU
 * adapter or WebGL renderer where the browser exposes it, the user agent in
 * a browser, or `node <version> <platform> <arch>` in Node.
 */
export function describeDevice(): string {
  const backend = tf.getBackend();
  if (typeof process !== 'undefined' && process.versions?.node !== undefined) {
    return `node ${process.versions.node} ${process.platform} ${process.arch} (${backend})`;
  }
  const agent = typeof navigator !== 'undefined' ? navigator.userAgent : 'unknown device';
  const renderer = backend === 'webgl' ? webglRenderer() : undefined;
  return renderer ? `${agent} (${backend}: ${renderer})` : `${agent} (${backend})`;
}

function webglRenderer(): string | undefined {
  try {
    const backend = tf.backend() as unknown as { gpgpu?: { gl?: WebGLRenderingContext } };
    const gl = backend.gpgpu?.gl;
    if (!gl) return undefined;
    const info = gl.getExtension('WEBGL_debug_renderer_info');
    return info ? String(gl.getParameter(info.UNMASKED_RENDERER_WEBGL)) : String(gl.getParameter(gl.RENDERER));
  } catch {
    return undefined;
  }
}

// A minimal WebAssembly assembler for the SIMD kernels of this folder: the
// opcodes they use, their operand encodings, and a one-function module over
// the wasm backend's imported memory, instantiated once per memory.
import { createLogger } from '../../core/log';
import type { BackendWasm } from './heap';

const log = createLogger('engine');

// Opcodes of the WebAssembly core and SIMD specifications (binary format).
export const LOCAL_GET = 0x20;
export const LOCAL_SET = 0x21;
export const LOCAL_TEE = 0x22;
export const I32_CONST = 0x41;
export const I32_ADD = 0x6a;
export const I32_SUB = 0x6b;
export const LOOP = 0x03;
export const BR_IF = 0x0d;
export const END = 0x0b;
export const VOID_BLOCK = 0x40;
export const I32 = 0x7f;
export const V128 = 0x7b;
/** Prefix of every SIMD instruction; the SIMD opcode follows as unsigned LEB128. */
const SIMD = 0xfd;
export const V128_LOAD = 0x00;
export const V128_LOAD32_SPLAT = 0x09;
export const V128_STORE = 0x0b;
export const V128_CONST = 0x0c;
export const F32X4_GT = 0x44;
export const V128_AND = 0x4e;
export const V128_ANDNOT = 0x4f;
export const V128_OR = 0x50;
export const V128_BITSELECT = 0x52;
export const F32X4_ADD = 0xe4;
export const F32X4_MUL = 0xe6;

/** Encodes `value` as unsigned LEB128. */
export function unsignedLeb(value: number): number[] {
  const bytes: number[] = [];
  do {
    let byte = value & 0x7f;
    value >>>= 7;
    if (value !== 0) byte |= 0x80;
    bytes.push(byte);
  } while (value !== 0);
  return bytes;
}

/** Encodes a SIMD instruction without immediates. */
export function simd(opcode: number): number[] {
  return [SIMD, ...unsignedLeb(opcode)];
}

/** Encodes a SIMD load or store with byte alignment, which allows any address, and a constant byte offset. */
export function memory(opcode: number, offset = 0): number[] {
  return [...simd(opcode), 0, ...unsignedLeb(offset)];
}

export function get(index: number): number[] {
  return [LOCAL_GET, index];
}

export function set(index: number): number[] {
  return [LOCAL_SET, index];
}

/** Pushes the address `base + offset` from two i32 locals. */
export function address(base: number, offset: number): number[] {
  return [...get(base), ...get(offset), I32_ADD];
}

/** Adds the i32 constant `amount` to the i32 local `index`. */
export function increment(index: number, amount: number): number[] {
  if (amount < 0 || amount > 63) throw new Error(`increment takes 0 to 63 so one LEB128 byte encodes it, got ${amount}`);
  return [...get(index), I32_CONST, amount, I32_ADD, ...set(index)];
}

/** Decrements the i32 local `index` and branches back to the enclosing loop while it is not 0. */
export function loopWhileCountdown(index: number): number[] {
  return [...get(index), I32_CONST, 1, I32_SUB, LOCAL_TEE, index, BR_IF, 0];
}

function section(id: number, content: number[]): number[] {
  return [id, ...unsignedLeb(content.length), ...content];
}

function name(text: string): number[] {
  const bytes = Array.from(new TextEncoder().encode(text));
  return [...unsignedLeb(bytes.length), ...bytes];
}

/** One exported function of i32 parameters and no result. */
export interface KernelFunction {
  name: string;
  /** Number of i32 parameters; they are locals 0 to params - 1. */
  params: number;
  /** Further locals in order, as [count, I32 or V128] groups. */
  locals: [number, number][];
  /** The instructions, without the final END. */
  body: number[];
}

/** Returns the bytes of a module that imports env.memory, shared or not as the backend's memory is, and exports `kernel`. */
export function assembleModule(shared: boolean, kernel: KernelFunction): Uint8Array<ArrayBuffer> {
  const params = new Array<number>(kernel.params).fill(I32);
  const type = section(1, [1, 0x60, ...unsignedLeb(params.length), ...params, 0]);
  // A shared memory's limits must include a maximum, and 65536 pages (4 GiB) admits any.
  const limits = shared ? [0x03, 1, ...unsignedLeb(65536)] : [0x00, 1];
  const imports = section(2, [1, ...name('env'), ...name('memory'), 0x02, ...limits]);
  const functions = section(3, [1, 0]);
  const exports = section(7, [1, ...name(kernel.name), 0x00, 0]);
  const locals = [...unsignedLeb(kernel.locals.length), ...kernel.locals.flatMap(([count, type]) => [...unsignedLeb(count), type])];
  const body = [...locals, ...kernel.body, END];
  const code = section(10, [1, ...unsignedLeb(body.length), ...body]);
  return new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, ...type, ...imports, ...functions, ...exports, ...code]);
}

/** Instances per backend memory and kernel name; a string where the module could not be built is the runtime's error message. */
const instances = new WeakMap<WebAssembly.Memory, Map<string, unknown>>();

/** Returns the memory that the backend's wasm module imports or exports, or undefined where neither is reachable. */
function backendMemory(backend: BackendWasm): WebAssembly.Memory | undefined {
  // The threaded build (tfjs-backend-wasm 4.22) sets Module.wasmMemory to its
  // shared memory, and the unthreaded builds export theirs as asm.memory.
  const module = backend.wasm as unknown as { wasmMemory?: WebAssembly.Memory; asm?: { memory?: WebAssembly.Memory } };
  return module.wasmMemory ?? module.asm?.memory;
}

/**
 * Returns the function `name` of the module of `kernel()`, instantiated on
 * the memory of `backend` once per memory. Returns null when the runtime
 * rejects the module (no SIMD, or a CSP that forbids compiling wasm) or the
 * memory is not reachable, and the caller then takes its JavaScript or
 * XNNPACK path.
 */
export function instantiateKernel<T>(backend: BackendWasm, name: string, kernel: () => KernelFunction): T | null {
  const memory = backendMemory(backend);
  if (memory === undefined) return null;
  let byName = instances.get(memory);
  if (byName === undefined) {
    byName = new Map();
    instances.set(memory, byName);
  }
  if (byName.has(name)) {
    const cached = byName.get(name);
    return typeof cached === 'function' ? (cached as T) : null;
  }

  try {
    const definition = kernel();
    const instance = new WebAssembly.Instance(new WebAssembly.Module(assembleModule(isShared(memory), definition)), { env: { memory } });
    const exported = instance.exports[definition.name];
    if (typeof exported !== 'function') throw new Error(`the module does not export the function ${definition.name}`);
    byName.set(name, exported);
    return exported as T;
  } catch (error) {
    log.debug(`the SIMD kernel ${name} is unavailable, so its JavaScript or XNNPACK path runs`, error);
    byName.set(name, error instanceof Error ? error.message : String(error));
    return null;
  }
}

function isShared(memory: WebAssembly.Memory): boolean {
  return typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
}

/** The SIMD kernels that training kernels requested on one backend's memory. */
export interface SimdKernelReport {
  /** Whether the backend's memory is a SharedArrayBuffer (the threaded build), or null where the memory is not reachable. */
  sharedMemory: boolean | null;
  /** Names of the kernels instantiated on that memory, which their training kernels call. */
  active: string[];
  /** Kernels the runtime rejected, so their JavaScript or XNNPACK path runs, with the runtime's error message. */
  unavailable: { name: string; error: string }[];
}

/**
 * Reports which SIMD kernels run on the memory of `backend`. A kernel is
 * instantiated the first time a training kernel needs it (for example the
 * 2x2 MaxPoolGrad with channels a multiple of 4), so a kernel that no
 * gradient has needed yet is in neither list.
 */
export function describeSimdKernels(backend: BackendWasm): SimdKernelReport {
  const memory = backendMemory(backend);
  const report: SimdKernelReport = { sharedMemory: memory === undefined ? null : isShared(memory), active: [], unavailable: [] };
  if (memory === undefined) return report;
  for (const [name, entry] of instances.get(memory) ?? []) {
    if (typeof entry === 'function') report.active.push(name);
    else report.unavailable.push({ name, error: String(entry) });
  }
  return report;
}

/**
 * Returns describeSimdKernels(backend) as one line for logs and benchmark
 * details, for example `SIMD kernels on shared memory: routeWindowRow; unavailable: none`.
 */
export function summarizeSimdKernels(backend: BackendWasm): string {
  const report = describeSimdKernels(backend);
  let memory = 'unreachable memory';
  if (report.sharedMemory !== null) memory = report.sharedMemory ? 'shared memory' : 'unshared memory';
  const active = report.active.length > 0 ? report.active.join(', ') : 'none';
  const unavailable = report.unavailable.length > 0 ? report.unavailable.map((entry) => `${entry.name} (${entry.error})`).join(', ') : 'none';
  return `SIMD kernels on ${memory}: ${active}; unavailable: ${unavailable}`;
}

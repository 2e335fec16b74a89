// A WebAssembly SIMD kernel for the 2x2, stride 2 MaxPoolGrad, assembled
// here as bytes and instantiated on the wasm backend's own memory, so it
// reads and writes tensors in place. It handles four channels per
// instruction where the JavaScript loop handles one.
import { createLogger } from '../../core/log';
import type { BackendWasm } from './heap';

const log = createLogger('engine');

/**
 * Routes dy over one row of 2x2 windows. Arguments are byte addresses and
 * byte sizes in the backend's memory:
 * - x: the top left tap of the row's first window, in x [batch, height, width, channels]
 * - dy: the row's first element of dy [batch, outHeight, outWidth, channels]
 * - shift: dx's address minus x's address, for tensors of the same shape
 * - windows: outWidth, at least 1
 * - vectors: channels / 4, at least 1
 * - channelBytes: channels * 4
 * - rowBytes: width * channels * 4
 */
export type RouteWindowRow = (x: number, dy: number, shift: number, windows: number, vectors: number, channelBytes: number, rowBytes: number) => void;

// Opcodes of the WebAssembly core and SIMD specifications (binary format).
const LOCAL_GET = 0x20;
const LOCAL_SET = 0x21;
const LOCAL_TEE = 0x22;
const I32_CONST = 0x41;
const I32_ADD = 0x6a;
const I32_SUB = 0x6b;
const LOOP = 0x03;
const BR_IF = 0x0d;
const END = 0x0b;
const VOID_BLOCK = 0x40;
const I32 = 0x7f;
const V128 = 0x7b;
/** Prefix of every SIMD instruction; the SIMD opcode follows as unsigned LEB128. */
const SIMD = 0xfd;
const V128_LOAD = 0x00;
const V128_STORE = 0x0b;
const V128_CONST = 0x0c;
const F32X4_GT = 0x44;
const V128_AND = 0x4e;
const V128_ANDNOT = 0x4f;
const V128_OR = 0x50;
const V128_BITSELECT = 0x52;

// Parameters and locals of the function, by index.
const X = 0;
const DY = 1;
const SHIFT = 2;
const WINDOWS = 3;
const VECTORS = 4;
const CHANNEL_BYTES = 5;
const ROW_BYTES = 6;
const VECTOR = 7;
const BELOW = 8;
const [TOP_LEFT, TOP_RIGHT, BOTTOM_LEFT, BOTTOM_RIGHT, BEST, TAKES_0, TAKES_1, TAKES_2, TAKES_3, GRADIENT] = [9, 10, 11, 12, 13, 14, 15, 16, 17, 18];

function unsignedLeb(value: number): number[] {
  const bytes: number[] = [];
  do {
    let byte = value & 0x7f;
    value >>>= 7;
    if (value !== 0) byte |= 0x80;
    bytes.push(byte);
  } while (value !== 0);
  return bytes;
}

function simd(opcode: number): number[] {
  return [SIMD, ...unsignedLeb(opcode)];
}

/** Encodes a v128 load or store with no offset and byte alignment, which allows any address. */
function memory(opcode: number): number[] {
  return [...simd(opcode), 0, 0];
}

function get(index: number): number[] {
  return [LOCAL_GET, index];
}

function set(index: number): number[] {
  return [LOCAL_SET, index];
}

/** Pushes the address `base + offset` from two i32 locals. */
function address(base: number, offset: number): number[] {
  return [...get(base), ...get(offset), I32_ADD];
}

/** `TAKES_t = tap > BEST` lane by lane; then BEST = max, except for the last tap. */
function compareTap(tap: number, takes: number, keepBest: boolean): number[] {
  const code = [...get(tap), ...get(BEST), ...simd(F32X4_GT), ...set(takes)];
  if (keepBest) code.push(...get(tap), ...get(BEST), ...get(takes), ...simd(V128_BITSELECT), ...set(BEST));
  return code;
}

/**
 * Stores `gradient & takes & ~later` at the tap's address plus SHIFT, where
 * `later` (kept in TAKES_3) is set in lanes where a later tap took dy, and
 * then adds `takes` to `later`. The bottom right tap, stored first, has no
 * later tap.
 */
function storeTap(tapAddress: number[], takes: number): number[] {
  const hasLaterTap = takes !== TAKES_3;
  const selected = hasLaterTap ? [...get(takes), ...get(TAKES_3), ...simd(V128_ANDNOT)] : get(takes);
  const code = [...tapAddress, ...get(SHIFT), I32_ADD, ...get(GRADIENT), ...selected, ...simd(V128_AND), ...memory(V128_STORE)];
  if (hasLaterTap && takes !== TAKES_0) code.push(...get(takes), ...get(TAKES_3), ...simd(V128_OR), ...set(TAKES_3));
  return code;
}

/**
 * Returns the function body. Each lane follows the cpu backend's rule. The
 * taps are compared in the order top left, top right, bottom left, bottom
 * right with the best value so far, which starts at -Infinity. The last tap
 * that compared greater, the first one that holds the maximum, takes dy.
 * NaN never compares greater, so a window of NaN or -Infinity passes nothing.
 */
function routeWindowRowBody(): number[] {
  const negativeInfinity = [0x00, 0x00, 0x80, 0xff];
  const inner = [
    // Load the four taps of four channels.
    ...get(X), ...memory(V128_LOAD), ...set(TOP_LEFT),
    ...address(X, CHANNEL_BYTES), ...memory(V128_LOAD), ...set(TOP_RIGHT),
    ...address(X, ROW_BYTES), LOCAL_TEE, BELOW, ...memory(V128_LOAD), ...set(BOTTOM_LEFT),
    ...address(BELOW, CHANNEL_BYTES), ...memory(V128_LOAD), ...set(BOTTOM_RIGHT),
    ...simd(V128_CONST), ...negativeInfinity, ...negativeInfinity, ...negativeInfinity, ...negativeInfinity, ...set(BEST),
    ...compareTap(TOP_LEFT, TAKES_0, true),
    ...compareTap(TOP_RIGHT, TAKES_1, true),
    ...compareTap(BOTTOM_LEFT, TAKES_2, true),
    ...compareTap(BOTTOM_RIGHT, TAKES_3, false),
    ...get(DY), ...memory(V128_LOAD), ...set(GRADIENT),
    // The winner is the last tap that took dy. TAKES_3 becomes "a later tap took dy".
    ...storeTap(address(BELOW, CHANNEL_BYTES), TAKES_3),
    ...storeTap(get(BELOW), TAKES_2),
    ...storeTap(address(X, CHANNEL_BYTES), TAKES_1),
    ...storeTap(get(X), TAKES_0),
    // Next four channels.
    ...get(X), I32_CONST, 16, I32_ADD, ...set(X),
    ...get(DY), I32_CONST, 16, I32_ADD, ...set(DY),
    ...get(VECTOR), I32_CONST, 1, I32_SUB, LOCAL_TEE, VECTOR, BR_IF, 0,
  ];
  const outer = [
    ...get(VECTORS), ...set(VECTOR),
    LOOP, VOID_BLOCK, ...inner, END,
    // x now points at the window's top right tap, so skip to the next window.
    ...address(X, CHANNEL_BYTES), ...set(X),
    ...get(WINDOWS), I32_CONST, 1, I32_SUB, LOCAL_TEE, WINDOWS, BR_IF, 0,
  ];
  const locals = [2, ...unsignedLeb(2), I32, ...unsignedLeb(10), V128];
  return [...locals, LOOP, VOID_BLOCK, ...outer, END, END];
}

function section(id: number, content: number[]): number[] {
  return [id, ...unsignedLeb(content.length), ...content];
}

function name(text: string): number[] {
  const bytes = Array.from(new TextEncoder().encode(text));
  return [...unsignedLeb(bytes.length), ...bytes];
}

/** Returns the module's bytes: one exported function over an imported memory, shared or not as the backend's is. */
export function assembleModule(shared: boolean): Uint8Array<ArrayBuffer> {
  const params = new Array<number>(7).fill(I32);
  const type = section(1, [1, 0x60, ...unsignedLeb(params.length), ...params, 0]);
  // A shared memory's limits must include a maximum, and 65536 pages (4 GiB) admits any.
  const limits = shared ? [0x03, 1, ...unsignedLeb(65536)] : [0x00, 1];
  const imports = section(2, [1, ...name('env'), ...name('memory'), 0x02, ...limits]);
  const functions = section(3, [1, 0]);
  const exports = section(7, [1, ...name('routeWindowRow'), 0x00, 0]);
  const body = routeWindowRowBody();
  const code = section(10, [1, ...unsignedLeb(body.length), ...body]);
  return new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, ...type, ...imports, ...functions, ...exports, ...code]);
}

/** Instances per backend memory; null where the module could not be built, as without SIMD. */
const instances = new WeakMap<WebAssembly.Memory, RouteWindowRow | null>();

/**
 * Returns the SIMD row routine bound to the memory of `backend`, or null
 * when the runtime rejects SIMD or the memory is not reachable, in which
 * case the caller uses the JavaScript loop.
 */
export function simdRouteWindowRow(backend: BackendWasm): RouteWindowRow | null {
  // NOTE: tests run only Node's unthreaded build. The shared-memory import for
  // tfjs's threaded browser build is assembled and validated but never run.
  const module = backend.wasm as unknown as { wasmMemory?: WebAssembly.Memory; asm?: { memory?: WebAssembly.Memory } };
  const memory = module.wasmMemory ?? module.asm?.memory;
  if (memory === undefined) return null;
  const known = instances.get(memory);
  if (known !== undefined) return known;

  let route: RouteWindowRow | null;
  try {
    const shared = typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
    const instance = new WebAssembly.Instance(new WebAssembly.Module(assembleModule(shared)), { env: { memory } });
    route = instance.exports.routeWindowRow as RouteWindowRow;
  } catch (error) {
    // A runtime without WebAssembly SIMD, or a page whose CSP forbids compiling wasm, rejects the module.
    log.debug('the SIMD MaxPoolGrad kernel is unavailable, so MaxPoolGrad uses the JavaScript loop', error);
    route = null;
  }
  instances.set(memory, route);
  return route;
}

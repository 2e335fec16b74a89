// A WebAssembly SIMD kernel for the 2x2, stride 2 MaxPoolGrad, assembled
// here as bytes and instantiated on the wasm backend's own memory, so it
// reads and writes tensors in place. It handles four channels per
// instruction where the JavaScript loop handles one.
import type { BackendWasm } from './heap';
import {
  address,
  BR_IF,
  END,
  F32X4_GT,
  get,
  I32,
  I32_ADD,
  I32_CONST,
  I32_SUB,
  instantiateKernel,
  type KernelFunction,
  LOCAL_TEE,
  LOOP,
  memory,
  set,
  simd,
  V128,
  V128_AND,
  V128_ANDNOT,
  V128_BITSELECT,
  V128_CONST,
  V128_LOAD,
  V128_OR,
  V128_STORE,
  VOID_BLOCK,
} from './simd-assembler';

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
 * that compared greater, which is the first one equal to the maximum, takes dy.
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
  return [LOOP, VOID_BLOCK, ...outer, END];
}

/** Returns the definition of the routeWindowRow function. */
export function routeWindowRowKernel(): KernelFunction {
  return {
    name: 'routeWindowRow',
    params: 7,
    locals: [
      [2, I32],
      [10, V128],
    ],
    body: routeWindowRowBody(),
  };
}

/** Returns the SIMD row routine bound to the memory of `backend`, or null where the JavaScript loop must run. */
export function simdRouteWindowRow(backend: BackendWasm): RouteWindowRow | null {
  return instantiateKernel<RouteWindowRow>(backend, 'routeWindowRow', routeWindowRowKernel);
}

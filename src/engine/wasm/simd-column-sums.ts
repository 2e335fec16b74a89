// Float64 column sums of a float32 matrix with WebAssembly SIMD, for the
// leading-axis Sum and Mean of reduce.ts: each float32 lane is widened to
// float64 before it is added, as the JavaScript loop there does. That loop
// took about 0.3 ms for the bias gradient of [64, 26, 26, 16] in Node 20,
// and these loops 0.1 ms.
import type { BackendWasm } from './heap';
import {
  END,
  get,
  I32_ADD,
  instantiateKernel,
  type KernelFunction,
  LOOP,
  loopWhileCountdown,
  memory,
  set,
  simd,
  V128,
  V128_CONST,
  V128_LOAD,
  V128_STORE,
  VOID_BLOCK,
} from './simd-assembler';

/**
 * Writes to `out` the float64 sums of 4 * vectors float32 columns over
 * `rows` rows (at least 1) that start at x and are rowBytes apart. x, out
 * and rowBytes are in bytes. out receives 4 * vectors float64 values in
 * column order.
 */
export type SumColumns = (x: number, rowBytes: number, rows: number, out: number) => void;

const I8X16_SHUFFLE = 0x0d;
const F64X2_PROMOTE_LOW_F32X4 = 0x5f;
const F64X2_ADD = 0xf0;

const X = 0;
const ROW_BYTES = 1;
const ROWS = 2;
const OUT = 3;
const LOADED = 4;
const ACCUMULATORS = 5;

/** Column vectors per call of each kernel; a matrix is covered by the widest first. */
export const SUM_WIDTHS = [4, 2, 1];

/** Returns the definition of the function that sums 4 * vectors columns. */
export function sumColumnsKernel(vectors: number): KernelFunction {
  const zero = new Array<number>(16).fill(0);
  const body: number[] = [];
  for (let k = 0; k < 2 * vectors; k++) body.push(...simd(V128_CONST), ...zero, ...set(ACCUMULATORS + k));
  const high = [...simd(I8X16_SHUFFLE), ...[8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7]];
  const row: number[] = [];
  for (let v = 0; v < vectors; v++) {
    const low = ACCUMULATORS + 2 * v;
    row.push(...get(X), ...memory(V128_LOAD, 16 * v), ...set(LOADED));
    row.push(...get(low), ...get(LOADED), ...simd(F64X2_PROMOTE_LOW_F32X4), ...simd(F64X2_ADD), ...set(low));
    row.push(...get(low + 1), ...get(LOADED), ...get(LOADED), ...high, ...simd(F64X2_PROMOTE_LOW_F32X4), ...simd(F64X2_ADD), ...set(low + 1));
  }
  row.push(...get(X), ...get(ROW_BYTES), I32_ADD, ...set(X), ...loopWhileCountdown(ROWS));
  body.push(LOOP, VOID_BLOCK, ...row, END);
  for (let k = 0; k < 2 * vectors; k++) body.push(...get(OUT), ...get(ACCUMULATORS + k), ...memory(V128_STORE, 16 * k));
  return { name: `sumColumns${vectors}`, params: 4, locals: [[1 + 2 * vectors, V128]], body };
}

/** Returns the SIMD column sum of 4 * vectors columns bound to the memory of `backend`, or null where the JavaScript loop must run. */
export function simdSumColumns(backend: BackendWasm, vectors: number): SumColumns | null {
  return instantiateKernel<SumColumns>(backend, `sumColumns${vectors}`, () => sumColumnsKernel(vectors));
}

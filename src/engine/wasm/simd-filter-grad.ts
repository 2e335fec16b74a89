// A WebAssembly SIMD product for Conv2D filter gradients with few patch
// entries: dFilter [K, N] = patchesᵀ [K, M] @ dy [M, N], summed straight
// from the heap. XNNPACK's product first packs dy, which cost more than
// the product itself for the reference net's first conv.
import type { BackendWasm } from './heap';
import {
  END,
  F32X4_ADD,
  F32X4_MUL,
  get,
  I32,
  I32_ADD,
  increment,
  instantiateKernel,
  type KernelFunction,
  LOOP,
  loopWhileCountdown,
  memory,
  set,
  simd,
  V128,
  V128_LOAD,
  V128_LOAD32_SPLAT,
  V128_STORE,
  VOID_BLOCK,
} from './simd-assembler';

/**
 * Sets three rows by 16 columns of the product: out[r, j] = sum over m of
 * patches[r, m] * dy[m, j], for r < 3 and j < 16. Arguments are byte
 * addresses and byte strides in the backend's memory:
 * - patches: row 0, column 0 of the three rows, which are rowBytes apart
 * - dy: row 0 of the 16 columns, whose rows are dyRowBytes apart
 * - count: M, at least 1
 * - out: row 0 of the 16 output columns, whose rows are outRowBytes apart
 */
export type AccumulateProducts = (
  patches: number,
  rowBytes: number,
  dy: number,
  dyRowBytes: number,
  count: number,
  out: number,
  outRowBytes: number,
) => void;

/** Rows of the patch matrix one call sums; the caller pads K to a multiple of it. */
export const ROWS_PER_CALL = 3;
/** Columns of dy one call sums; N must be a multiple of it. */
export const COLUMNS_PER_CALL = 16;

// Parameters and locals of the function, by index.
const ROW_0 = 0;
const ROW_BYTES = 1;
const DY = 2;
const DY_ROW_BYTES = 3;
const COUNT = 4;
const OUT = 5;
const OUT_ROW_BYTES = 6;
const ROW_1 = 7;
const ROW_2 = 8;
/** Accumulator of row r and column vector v: local ACCUMULATORS + 4 * r + v. */
const ACCUMULATORS = 9;
const GRADIENTS = ACCUMULATORS + 12;
const SPLATS = GRADIENTS + 4;

/**
 * Returns the instructions that add splat r times gradient v to the
 * accumulator of row r and vector v, for `rows` rows by 4 vectors.
 * Arguments are the first local of each group, so accumulator (r, v) is local
 * accumulators + 4 * r + v.
 */
export function multiplyAddTile(rows: number, accumulators: number, splats: number, gradients: number): number[] {
  const instructions: number[] = [];
  for (let r = 0; r < rows; r++) {
    for (let v = 0; v < 4; v++) {
      const accumulator = accumulators + 4 * r + v;
      instructions.push(...get(accumulator), ...get(splats + r), ...get(gradients + v), ...simd(F32X4_MUL), ...simd(F32X4_ADD), ...set(accumulator));
    }
  }
  return instructions;
}

/**
 * Returns the instructions that store the accumulators of multiplyAddTile
 * to the rows of 16 floats at local `out`, advancing it by local
 * `outRowBytes` after each row.
 */
export function storeTile(rows: number, accumulators: number, out: number, outRowBytes: number): number[] {
  const instructions: number[] = [];
  for (let r = 0; r < rows; r++) {
    for (let v = 0; v < 4; v++) instructions.push(...get(out), ...get(accumulators + 4 * r + v), ...memory(V128_STORE, 16 * v));
    instructions.push(...get(out), ...get(outRowBytes), I32_ADD, ...set(out));
  }
  return instructions;
}

function accumulateProductsBody(): number[] {
  const rows = [ROW_0, ROW_1, ROW_2];
  const multiplyAdd = multiplyAddTile(ROWS_PER_CALL, ACCUMULATORS, SPLATS, GRADIENTS);
  const loop = [
    // dy[m, 0:16] as four vectors, and patches[r, m] repeated in four lanes.
    ...[0, 1, 2, 3].flatMap((v) => [...get(DY), ...memory(V128_LOAD, 16 * v), ...set(GRADIENTS + v)]),
    ...rows.flatMap((row, r) => [...get(row), ...memory(V128_LOAD32_SPLAT), ...set(SPLATS + r)]),
    ...multiplyAdd,
    ...rows.flatMap((row) => increment(row, 4)),
    ...get(DY), ...get(DY_ROW_BYTES), I32_ADD, ...set(DY),
    ...loopWhileCountdown(COUNT),
  ];
  const stores = storeTile(ROWS_PER_CALL, ACCUMULATORS, OUT, OUT_ROW_BYTES);
  return [
    ...get(ROW_0), ...get(ROW_BYTES), I32_ADD, ...set(ROW_1),
    ...get(ROW_1), ...get(ROW_BYTES), I32_ADD, ...set(ROW_2),
    LOOP, VOID_BLOCK, ...loop, END,
    ...stores,
  ];
}

/** Returns the definition of the accumulateProducts function. */
export function accumulateProductsKernel(): KernelFunction {
  return {
    name: 'accumulateProducts',
    params: 7,
    locals: [
      [2, I32],
      [12 + 4 + 3, V128],
    ],
    body: accumulateProductsBody(),
  };
}

/** Returns the SIMD product routine bound to the memory of `backend`, or null where XNNPACK's product must run. */
export function simdAccumulateProducts(backend: BackendWasm): AccumulateProducts | null {
  return instantiateKernel<AccumulateProducts>(backend, 'accumulateProducts', accumulateProductsKernel);
}

// WebAssembly SIMD loops for the NHWC transposes of nhwc-transpose.ts: a
// transpose of 4x4 float blocks, and a copy of rows into strided rows.
import type { BackendWasm } from './heap';
import {
  END,
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
  V128_STORE,
  VOID_BLOCK,
} from './simd-assembler';

/** The SIMD opcode i8x16.shuffle, followed by 16 lane indices into the two operands' 32 bytes. */
const I8X16_SHUFFLE = 0x0d;

/**
 * Transposes blocks of 4 rows by 4 floats: the rows of source block (b, g)
 * start at src + b * 4 * rowBytes + 16 * g and are rowBytes apart, and its
 * column j is stored at dst + g * 4 * columnBytes + j * columnBytes + 16 * b,
 * for b < blocks and g < groups. All arguments are bytes except the two
 * counts, which are at least 1. rowBytes2 and rowBytes3 are 2 and 3 times
 * rowBytes, and likewise for columnBytes.
 */
export type TransposeBlocks = (
  src: number,
  rowBytes: number,
  rowBytes2: number,
  rowBytes3: number,
  dst: number,
  columnBytes: number,
  columnBytes2: number,
  columnBytes3: number,
  groups: number,
  blocks: number,
) => void;

/**
 * Copies `rows` rows of 16 * vectors bytes from src, where they are
 * contiguous, to dst, where each row starts skipBytes after the end of the
 * previous one. All arguments are bytes except the counts, which are at least 1.
 */
export type CopyRows = (src: number, dst: number, skipBytes: number, rows: number, vectors: number) => void;

// Parameters and locals of transposeBlocks, by index.
const SRC = 0;
const ROW_BYTES = [1, 2, 3];
const DST = 4;
const COLUMN_BYTES = [5, 6, 7];
const GROUPS = 8;
const BLOCKS = 9;
const GROUP = 10;
const FROM = 11;
const TO = 12;
/** Rows r0 to r3, then the interleaved pairs t0 to t3, as v128 locals. */
const ROWS = 13;
const PAIRS = 17;

/** Returns i8x16.shuffle taking float lanes `lanes` (0-3 from the first operand, 4-7 from the second). */
function shuffleFloats(lanes: number[]): number[] {
  return [...simd(I8X16_SHUFFLE), ...lanes.flatMap((lane) => [4 * lane, 4 * lane + 1, 4 * lane + 2, 4 * lane + 3])];
}

/** Pushes the address of local `base` plus local `offset`, or `base` alone for offset null. */
function at(base: number, offset: number | null): number[] {
  return offset === null ? get(base) : [...get(base), ...get(offset), I32_ADD];
}

/** Returns the definition of the transposeBlocks function. */
export function transposeBlocksKernel(): KernelFunction {
  const rowOffsets = [null, ...ROW_BYTES];
  const columnOffsets = [null, ...COLUMN_BYTES];
  const loads = rowOffsets.flatMap((offset, k) => [...at(FROM, offset), ...memory(V128_LOAD), ...set(ROWS + k)]);
  // Pairs interleave rows (0, 1) and (2, 3), and each column takes two halves of them.
  const pairs = [
    [ROWS, ROWS + 1, [0, 4, 1, 5]],
    [ROWS + 2, ROWS + 3, [0, 4, 1, 5]],
    [ROWS, ROWS + 1, [2, 6, 3, 7]],
    [ROWS + 2, ROWS + 3, [2, 6, 3, 7]],
  ] as const;
  const interleave = pairs.flatMap(([a, b, lanes], k) => [...get(a), ...get(b), ...shuffleFloats([...lanes]), ...set(PAIRS + k)]);
  const columns = [
    [PAIRS, PAIRS + 1, [0, 1, 4, 5]],
    [PAIRS, PAIRS + 1, [2, 3, 6, 7]],
    [PAIRS + 2, PAIRS + 3, [0, 1, 4, 5]],
    [PAIRS + 2, PAIRS + 3, [2, 3, 6, 7]],
  ] as const;
  const stores = columns.flatMap(([a, b, lanes], j) => [...at(TO, columnOffsets[j]), ...get(a), ...get(b), ...shuffleFloats([...lanes]), ...memory(V128_STORE)]);
  const group = [
    ...loads, ...interleave, ...stores,
    ...increment(FROM, 16),
    ...get(TO), ...get(COLUMN_BYTES[2]), I32_ADD, ...get(COLUMN_BYTES[0]), I32_ADD, ...set(TO),
    ...loopWhileCountdown(GROUP),
  ];
  const block = [
    ...get(SRC), ...set(FROM),
    ...get(DST), ...set(TO),
    ...get(GROUPS), ...set(GROUP),
    LOOP, VOID_BLOCK, ...group, END,
    ...get(SRC), ...get(ROW_BYTES[2]), I32_ADD, ...get(ROW_BYTES[0]), I32_ADD, ...set(SRC),
    ...increment(DST, 16),
    ...loopWhileCountdown(BLOCKS),
  ];
  return { name: 'transposeBlocks', params: 10, locals: [[3, I32], [8, V128]], body: [LOOP, VOID_BLOCK, ...block, END] };
}

// Parameters and locals of copyRows, by index.
const COPY_SRC = 0;
const COPY_DST = 1;
const SKIP_BYTES = 2;
const COPY_ROWS = 3;
const VECTORS = 4;
const VECTOR = 5;

/** Returns the definition of the copyRows function. */
export function copyRowsKernel(): KernelFunction {
  const row = [
    ...get(VECTORS), ...set(VECTOR),
    LOOP, VOID_BLOCK,
    ...get(COPY_DST), ...get(COPY_SRC), ...memory(V128_LOAD), ...memory(V128_STORE),
    ...increment(COPY_SRC, 16), ...increment(COPY_DST, 16),
    ...loopWhileCountdown(VECTOR),
    END,
    ...get(COPY_DST), ...get(SKIP_BYTES), I32_ADD, ...set(COPY_DST),
    ...loopWhileCountdown(COPY_ROWS),
  ];
  return { name: 'copyRows', params: 5, locals: [[1, I32]], body: [LOOP, VOID_BLOCK, ...row, END] };
}

/** Returns the SIMD block transpose bound to the memory of `backend`, or null where the JavaScript loop must run. */
export function simdTransposeBlocks(backend: BackendWasm): TransposeBlocks | null {
  return instantiateKernel<TransposeBlocks>(backend, 'transposeBlocks', transposeBlocksKernel);
}

/** Returns the SIMD row copy bound to the memory of `backend`, or null where the JavaScript loop must run. */
export function simdCopyRows(backend: BackendWasm): CopyRows | null {
  return instantiateKernel<CopyRows>(backend, 'copyRows', copyRowsKernel);
}

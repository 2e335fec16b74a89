import { describe, expect, it } from 'vitest';
import { findTensorBytesProblem } from './tensor-bytes';

const SPECS = [
  { name: 'kernel', shape: [2, 2], dtype: 'float32' },
  { name: 'count', shape: [], dtype: 'int32' },
];

function data(values: number[], count = 7): ArrayBuffer {
  const buffer = new ArrayBuffer(values.length * 4 + 4);
  new Float32Array(buffer, 0, values.length).set(values);
  new Int32Array(buffer, values.length * 4, 1)[0] = count;
  return buffer;
}

describe('findTensorBytesProblem', () => {
  it('accepts matching data', () => {
    expect(findTensorBytesProblem(SPECS, data([1, 2, 3, 4]))).toBeUndefined();
  });

  it('finds truncated data', () => {
    expect(findTensorBytesProblem(SPECS, data([1, 2, 3, 4]).slice(0, 18))).toMatch(/ends before tensor count \(the specs need at least 20 bytes, the data has 18\)/);
  });

  it('finds extra bytes', () => {
    expect(findTensorBytesProblem(SPECS.slice(0, 1), data([1, 2, 3, 4]))).toMatch(/the specs describe 16 bytes, but the data has 20/);
  });

  it('finds NaN and infinite weights', () => {
    expect(findTensorBytesProblem(SPECS, data([1, Number.NaN, 3, 4]))).toMatch(/tensor kernel contains NaN at element 1/);
    expect(findTensorBytesProblem(SPECS, data([1, 2, Number.POSITIVE_INFINITY, 4]))).toMatch(/tensor kernel contains Infinity at element 2/);
  });

  it('allows any int32 value', () => {
    expect(findTensorBytesProblem(SPECS, data([1, 2, 3, 4], -1))).toBeUndefined();
  });

  it('finds invalid specs', () => {
    expect(findTensorBytesProblem({}, data([1, 2, 3, 4]))).toMatch(/not a list/);
    expect(findTensorBytesProblem([{ name: 'k', shape: [2, -1], dtype: 'float32' }], new ArrayBuffer(0))).toMatch(/invalid shape \[2,-1\]/);
    expect(findTensorBytesProblem([{ name: 'k', shape: [1], dtype: 'float64' }], new ArrayBuffer(8))).toMatch(/unsupported dtype "float64"/);
    expect(findTensorBytesProblem([{ shape: [1], dtype: 'float32' }], new ArrayBuffer(4))).toMatch(/tensor 0: the spec has no name/);
  });
});

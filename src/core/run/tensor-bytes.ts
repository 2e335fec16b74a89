// Checks of stored tensor bytes against their specs, shared by weight
// inheritance (a parent's saved model) and training checkpoints, so that
// damaged files are found before training instead of failing it or
// silently training from garbage.

/** Bytes per element of the dtypes that models and checkpoints store. */
const BYTES_PER_ELEMENT: Record<string, number> = { float32: 4, int32: 4 };

/** Spec of one stored tensor, as in SavedModel.weightSpecs and TensorData.specs. */
export interface StoredTensorSpec {
  name: string;
  shape: number[];
  dtype: string;
}

/**
 * Returns why `data` does not contain the tensors of `specs` back to back,
 * or undefined when it does. Each spec needs a string name, a shape of
 * non-negative integers and a float32 or int32 dtype. The byte length must
 * equal the sum of the tensor sizes. Every float32 value must be finite,
 * because NaN or infinite weights make training diverge.
 */
export function findTensorBytesProblem(specs: unknown, data: ArrayBuffer): string | undefined {
  if (!Array.isArray(specs)) return 'the tensor specs are not a list';
  let offset = 0;
  for (const [index, spec] of (specs as unknown[]).entries()) {
    const problem = findSpecProblem(spec);
    if (problem !== undefined) return `tensor ${index}: ${problem}`;

    const { name, shape, dtype } = spec as StoredTensorSpec;
    const bytes = shape.reduce((product, dim) => product * dim, 1) * BYTES_PER_ELEMENT[dtype];
    if (offset + bytes > data.byteLength) {
      return `the data ends before tensor ${name} (the specs need at least ${offset + bytes} bytes, the data has ${data.byteLength})`;
    }
    if (dtype === 'float32') {
      const values = new Float32Array(data, offset, bytes / 4);
      const bad = values.findIndex((value) => !Number.isFinite(value));
      if (bad >= 0) return `tensor ${name} contains ${values[bad]} at element ${bad}`;
    }
    offset += bytes;
  }
  if (offset !== data.byteLength) {
    return `the specs describe ${offset} bytes, but the data has ${data.byteLength}`;
  }
  return undefined;
}

function findSpecProblem(spec: unknown): string | undefined {
  if (typeof spec !== 'object' || spec === null) return 'the spec is not an object';
  const { name, shape, dtype } = spec as Record<string, unknown>;
  if (typeof name !== 'string') return 'the spec has no name';
  if (!Array.isArray(shape) || !shape.every((dim) => Number.isInteger(dim) && (dim as number) >= 0)) {
    return `tensor ${name} has the invalid shape ${JSON.stringify(shape)}`;
  }
  if (typeof dtype !== 'string' || BYTES_PER_ELEMENT[dtype] === undefined) {
    return `tensor ${name} has the unsupported dtype ${JSON.stringify(dtype)} (float32 or int32 expected)`;
  }
  return undefined;
}

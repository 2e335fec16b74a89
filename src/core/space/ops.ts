// The contract every space family implements. src/core/space/index.ts
// dispatches on `space.family` to one SpaceFamilyOps and exports the
// family-independent functions (countArchitectures, sampleArchitecture,
// hashArchitecture, ...) that the rest of the code uses.
import type { Random } from '../random';
import type { Architecture, ArchitectureCost, InputSpec, SearchSpace } from './types';

export interface SpaceFamilyOps<S extends SearchSpace, A extends Architecture> {
  /** Checks an untrusted value; returns it typed or throws ValidationError naming the field. */
  validateSpace(value: unknown): S;
  /** Checks that `arch` is a point of `space`; throws ValidationError naming the field. */
  validateArchitecture(space: S, arch: unknown): A;
  /** Exact number of distinct architectures (distinct encodings after canonicalisation of meaningless fields). */
  count(space: S): bigint;
  /** Draws uniformly over the `count` architectures. */
  sample(space: S, random: Random): A;
  /** Returns an architecture that differs from `arch` in one choice and has a different hash when one exists. */
  mutate(space: S, arch: A, random: Random): A;
  /** Returns a child that takes each choice from one of the two parents. */
  crossover(space: S, a: A, b: A, random: Random): A;
  /** Every architecture one choice away from `arch`, without duplicates by hash and without `arch` itself. */
  neighbours(space: S, arch: A): A[];
  /** Canonical form: architectures that compute the same function have equal canonical forms. */
  canonicalize(space: S, arch: A): A;
  /** Analytic params, FLOPs (multiply-accumulates) and activation bytes; equal for equal canonical forms. */
  cost(space: S, arch: A, input: InputSpec): ArchitectureCost;
  /** The smallest params and FLOPs of any architecture of the space (each minimised on its own). */
  minimumCost(space: S, input: InputSpec): { params: number; flops: number };
  /** Operation labels the architecture uses, one per searched choice, for operation-frequency charts. */
  operations(arch: A): string[];
  /** A short human-readable summary, e.g. `conv3x3(16) > maxpool3x3 > ...`. */
  describe(arch: A): string;
}

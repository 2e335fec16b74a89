// Seeded pseudo-random numbers. Every random choice of a run (sampling,
// mutation, tournaments, data order, weight initialisation seeds) comes from
// a Random derived from the run's seed, so a run replays exactly.

/** Serialisable generator state: four uint32 words of sfc32. */
export type RandomState = [number, number, number, number];

/**
 * sfc32 (Chris Doty-Humphrey's Small Fast Counting generator, PractRand
 * suite), seeded through splitmix32. Period at least 2^32; not for
 * cryptography.
 */
export class Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number | RandomState) {
    if (Array.isArray(seed)) {
      [this.a, this.b, this.c, this.d] = seed.map((word) => word >>> 0) as RandomState;
      return;
    }
    let s = seed >>> 0;
    const next = (): number => {
      s = (s + 0x9e3779b9) >>> 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
      z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
      return (z ^ (z >>> 15)) >>> 0;
    };
    this.a = next();
    this.b = next();
    this.c = next();
    this.d = next();
    // Discard the first outputs, as the reference implementation advises.
    for (let i = 0; i < 12; i++) this.nextUint32();
  }

  /** Returns a uniform uint32. */
  nextUint32(): number {
    const t = (((this.a + this.b) >>> 0) + this.d) >>> 0;
    this.d = (this.d + 1) >>> 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) >>> 0;
    this.c = ((this.c << 21) | (this.c >>> 11)) >>> 0;
    this.c = (this.c + t) >>> 0;
    return t;
  }

  /** Returns a uniform float in [0, 1). */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Returns a uniform integer in [0, n); n must be a positive integer. */
  int(n: number): number {
    if (!Number.isInteger(n) || n <= 0) {
      throw new RangeError(`Random.int needs a positive integer bound, got ${n}`);
    }
    // Rejection sampling removes the modulo bias for bounds that do not
    // divide 2^32.
    const limit = 4294967296 - (4294967296 % n);
    let value = this.nextUint32();
    while (value >= limit) value = this.nextUint32();
    return value % n;
  }

  /** Returns a uniform BigInt in [0, n); n must be positive. */
  bigint(n: bigint): bigint {
    if (n <= 0n) throw new RangeError(`Random.bigint needs a positive bound, got ${n}`);
    const bits = n.toString(2).length;
    const words = Math.ceil(bits / 32);
    const excessBits = BigInt(words * 32 - bits);
    for (;;) {
      let value = 0n;
      for (let i = 0; i < words; i++) value = (value << 32n) | BigInt(this.nextUint32());
      value >>= excessBits;
      if (value < n) return value;
    }
  }

  /** Returns a uniformly chosen element; the array must not be empty. */
  choice<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('Random.choice needs a non-empty array');
    return items[this.int(items.length)];
  }

  /** Shuffles `items` in place (Fisher-Yates) and returns it. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      [items[i], items[j]] = [items[j], items[i]];
    }
    return items;
  }

  /** Returns a new generator seeded from this one, for an independent stream. */
  fork(): Random {
    return new Random(this.nextUint32());
  }

  state(): RandomState {
    return [this.a, this.b, this.c, this.d];
  }
}

/** Derives a uint32 seed from a run seed and a stream label, e.g. a trial index. */
export function deriveSeed(seed: number, ...labels: (number | string)[]): number {
  let h = (seed >>> 0) ^ 0x811c9dc5;
  for (const label of labels) {
    const text = String(label);
    for (let i = 0; i < text.length; i++) {
      h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
    }
    h = Math.imul(h ^ 0xff, 0x01000193);
  }
  return new Random(h >>> 0).nextUint32();
}

import { describe, expect, it } from 'vitest';
import { canonicalJson, fnv1a64 } from './hash';

describe('fnv1a64', () => {
  it.each([
    ['', 'cbf29ce484222325'],
    ['a', 'af63dc4c8601ec8c'],
    ['foobar', '85944171f73967e8'],
  ])('hashes %j to the published value', (text, expected) => {
    expect(fnv1a64(text)).toBe(expected);
  });

  it('returns 16 lowercase hex chars', () => {
    expect(fnv1a64('|nor_conv_3x3~0|')).toMatch(/^[0-9a-f]{16}$/);
  });
});

describe('canonicalJson', () => {
  it('ignores key order', () => {
    expect(canonicalJson({ b: 1, a: [{ y: 2, x: null }] })).toBe(canonicalJson({ a: [{ x: null, y: 2 }], b: 1 }));
  });

  it('keeps array order', () => {
    expect(canonicalJson([1, 2])).not.toBe(canonicalJson([2, 1]));
  });
});

import { describe, expect, it } from 'vitest';
import { ValidationError } from './errors';
import { dominates, hypervolume, nonDominatedSort, paretoFront, type ParetoPoint } from './pareto';

function points(...pairs: [number, number][]): ParetoPoint[] {
  return pairs.map(([accuracy, cost], i) => ({ id: `p${i}`, accuracy, cost }));
}

function ids(list: ParetoPoint[]): string[] {
  return list.map((point) => point.id);
}

describe('dominates', () => {
  it.each([
    { a: [0.9, 10], b: [0.8, 10], expected: true },
    { a: [0.9, 10], b: [0.9, 12], expected: true },
    { a: [0.9, 10], b: [0.9, 10], expected: false },
    { a: [0.9, 12], b: [0.8, 10], expected: false },
    { a: [0.8, 10], b: [0.9, 10], expected: false },
  ])('$a against $b is $expected', ({ a, b, expected }) => {
    const [pa, pb] = points(a as [number, number], b as [number, number]);
    expect(dominates(pa, pb)).toBe(expected);
  });
});

describe('paretoFront', () => {
  it('keeps tied points on the front', () => {
    const input = points([0.9, 10], [0.9, 10], [0.9, 12], [0.85, 5], [0.8, 5]);
    expect(ids(paretoFront(input))).toEqual(['p0', 'p1', 'p3']);
  });

  it.each([
    { name: 'empty input', pairs: [], front: [] },
    { name: 'single point', pairs: [[0.5, 3]], front: ['p0'] },
    { name: 'chain of dominated points', pairs: [[0.7, 3], [0.8, 2], [0.9, 1]], front: ['p2'] },
    { name: 'trade-off curve', pairs: [[0.7, 1], [0.8, 2], [0.9, 3]], front: ['p0', 'p1', 'p2'] },
    { name: 'same accuracy, cheaper wins', pairs: [[0.8, 4], [0.8, 3]], front: ['p1'] },
  ] as { name: string; pairs: [number, number][]; front: string[] }[])('$name', ({ pairs, front }) => {
    expect(ids(paretoFront(points(...pairs)))).toEqual(front);
  });

  it('rejects a NaN accuracy naming the point', () => {
    const input = points([0.9, 10], [Number.NaN, 5]);
    expect(() => paretoFront(input)).toThrow(ValidationError);
    expect(() => paretoFront(input)).toThrow(/points\[1\]\.accuracy/);
  });
});

describe('nonDominatedSort', () => {
  it('splits points into ranks', () => {
    const input = points([0.9, 10], [0.9, 10], [0.9, 12], [0.85, 5], [0.8, 5], [0.7, 20]);
    const ranks = nonDominatedSort(input).map(ids);
    expect(ranks).toEqual([['p0', 'p1', 'p3'], ['p2', 'p4'], ['p5']]);
  });

  it('puts every point in exactly one rank', () => {
    const input = points([0.5, 5], [0.6, 6], [0.4, 7], [0.6, 5], [0.6, 5], [0.1, 1]);
    const flat = nonDominatedSort(input).flat().map((point) => point.id).sort();
    expect(flat).toEqual(ids(input).sort());
  });
});

describe('hypervolume', () => {
  it.each([
    { name: 'no points', pairs: [], reference: 10, expected: 0 },
    { name: 'single point', pairs: [[0.5, 5]], reference: 10, expected: 0.25 },
    { name: 'duplicates count once', pairs: [[0.5, 5], [0.5, 5]], reference: 10, expected: 0.25 },
    { name: 'tie in cost keeps the best', pairs: [[0.4, 5], [0.5, 5]], reference: 10, expected: 0.25 },
    { name: 'two front points', pairs: [[0.5, 2], [1, 6]], reference: 10, expected: 0.6 },
    { name: 'dominated point adds nothing', pairs: [[0.5, 2], [0.4, 3]], reference: 10, expected: 0.4 },
    { name: 'point at the reference cost', pairs: [[0.9, 10]], reference: 10, expected: 0 },
    { name: 'point worse than the reference', pairs: [[0.9, 12]], reference: 10, expected: 0 },
    { name: 'zero accuracy', pairs: [[0, 1]], reference: 10, expected: 0 },
    { name: 'zero cost, full accuracy', pairs: [[1, 0]], reference: 10, expected: 1 },
  ] as { name: string; pairs: [number, number][]; reference: number; expected: number }[])(
    '$name',
    ({ pairs, reference, expected }) => {
      expect(hypervolume(points(...pairs), reference)).toBeCloseTo(expected, 12);
    },
  );

  it('never decreases when points are added', () => {
    const input = points([0.3, 8], [0.6, 9], [0.2, 1], [0.6, 9], [0.95, 30], [0.7, 4], [0.5, 2]);
    let previous = 0;
    for (let n = 1; n <= input.length; n++) {
      const value = hypervolume(input.slice(0, n), 10);
      expect(value).toBeGreaterThanOrEqual(previous);
      previous = value;
    }
  });

  it.each([0, -1, Number.POSITIVE_INFINITY, Number.NaN])('rejects reference cost %s', (reference) => {
    expect(() => hypervolume(points([0.5, 1]), reference)).toThrow(/referenceCost must be a positive finite number/);
  });
});

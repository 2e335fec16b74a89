import { describe, expect, it } from 'vitest';
import { Random } from '../random';
import {
  binaryTournament,
  constraintDominates,
  crowdingDistances,
  paretoDominates,
  rankCandidates,
  selectSurvivors,
  type Candidate,
} from './nsga2-selection';

function feasible(...objectives: (number | null)[]): Candidate {
  return { objectives, feasible: true, violation: 0 };
}

function infeasible(violation: number | null): Candidate {
  return { objectives: [], feasible: false, violation };
}

describe('paretoDominates', () => {
  it.each([
    { a: [1, 2], b: [2, 2], expected: true },
    { a: [1, 2], b: [1, 2], expected: false },
    { a: [1, 3], b: [2, 2], expected: false },
    { a: [1, 2, 3], b: [1, 2, 4], expected: true },
    { a: [1, 2, 5], b: [1, 2, 4], expected: false },
    { a: [1, 2], b: [1, null], expected: true },
    { a: [1, null], b: [1, 2], expected: false },
  ])('$a against $b is $expected', ({ a, b, expected }) => {
    expect(paretoDominates(a, b)).toBe(expected);
  });
});

describe('constraintDominates', () => {
  it('prefers feasible over infeasible', () => {
    expect(constraintDominates(feasible(9, 9), infeasible(0.1))).toBe(true);
    expect(constraintDominates(infeasible(0.1), feasible(9, 9))).toBe(false);
  });

  it('prefers the smaller violation', () => {
    expect(constraintDominates(infeasible(1), infeasible(2))).toBe(true);
    expect(constraintDominates(infeasible(2), infeasible(1))).toBe(false);
    expect(constraintDominates(infeasible(2), infeasible(2))).toBe(false);
    expect(constraintDominates(infeasible(5), infeasible(null))).toBe(true);
  });
});

describe('crowdingDistances', () => {
  it('gives boundaries infinity and interiors the normalised gaps', () => {
    const candidates = [feasible(0, 4), feasible(1, 3), feasible(3, 1), feasible(4, 0)];
    const distances = crowdingDistances(candidates, [0, 1, 2, 3]);
    expect(distances[0]).toBe(Number.POSITIVE_INFINITY);
    expect(distances[3]).toBe(Number.POSITIVE_INFINITY);
    // Member 1: gap 3/4 on each objective; member 2 the same.
    expect(distances[1]).toBeCloseTo(1.5);
    expect(distances[2]).toBeCloseTo(1.5);
  });

  it('skips an objective without range', () => {
    const candidates = [feasible(0, 5), feasible(1, 5), feasible(2, 5)];
    expect(crowdingDistances(candidates, [0, 1, 2])).toEqual([Number.POSITIVE_INFINITY, 1, Number.POSITIVE_INFINITY]);
  });
});

describe('rankCandidates', () => {
  it('ranks three objectives and infeasible members last', () => {
    const candidates = [
      feasible(1, 1, 5),
      feasible(2, 2, 6),
      feasible(1, 5, 1),
      infeasible(3),
      infeasible(1),
      feasible(3, 3, 7),
    ];
    const { rank, crowding } = rankCandidates(candidates);
    expect(rank).toEqual([0, 1, 0, 4, 3, 2]);
    expect(crowding[3]).toBe(0);
    expect(crowding[4]).toBe(0);
  });
});

describe('binaryTournament', () => {
  it('picks the lower rank, then the larger crowding', () => {
    const ranking = { rank: [1, 0, 0], crowding: [9, 0.5, 2] };
    const random = new Random(4);
    const wins = [0, 0, 0];
    for (let i = 0; i < 300; i++) wins[binaryTournament(ranking, 3, random)]++;
    expect(wins[0]).toBe(0);
    expect(wins[2]).toBeGreaterThan(wins[1]);
    expect(wins[1]).toBeGreaterThan(0);
  });

  it('returns the only candidate', () => {
    expect(binaryTournament({ rank: [0], crowding: [0] }, 1, new Random(1))).toBe(0);
  });
});

describe('selectSurvivors', () => {
  it('keeps whole fronts then the most crowded-apart', () => {
    const candidates = [
      feasible(0, 4),
      feasible(1, 3),
      feasible(2, 2.1),
      feasible(3, 1),
      feasible(4, 0),
      feasible(5, 5),
      infeasible(1),
    ];
    // The front has five members. Crowding distances of members 1, 2 and 3
    // are 0.975, 1.0 and 1.025, so member 1 goes first when the front is cut.
    expect(selectSurvivors(candidates, 5)).toEqual([0, 1, 2, 3, 4]);
    expect(selectSurvivors(candidates, 4)).toEqual([0, 2, 3, 4]);
    expect(selectSurvivors(candidates, 6)).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('keeps the least violating infeasible members', () => {
    const candidates = [infeasible(3), infeasible(1), infeasible(null), infeasible(2)];
    expect(selectSurvivors(candidates, 2)).toEqual([1, 3]);
  });

  it('returns everything when there is room', () => {
    expect(selectSurvivors([feasible(1, 1), infeasible(1)], 3)).toEqual([0, 1]);
  });
});

import { describe, expect, it } from 'vitest';
import { bracketCycle, computeRungEpochs, promotionCount, RungScheduler } from './scheduler';

describe('computeRungEpochs', () => {
  it.each([
    [1, 3, 10, [1, 3, 10]],
    [1, 3, 9, [1, 3, 9]],
    [1, 3, 27, [1, 3, 9, 27]],
    [1, 2, 4, [1, 2, 4]],
    [1, 2, 5, [1, 2, 5]],
    [1, 3, 2, [1, 2]],
    [2, 2, 8, [2, 4, 8]],
    [3, 3, 8, [3, 8]],
  ])('min %i eta %i over %i epochs', (minEpochs, eta, maxEpochs, expected) => {
    expect(computeRungEpochs(minEpochs, eta, maxEpochs)).toEqual(expected);
  });
});

describe('bracketCycle', () => {
  it('successive halving has one bracket', () => {
    expect(bracketCycle('successive-halving', 3, 3)).toEqual([{ size: 9, firstRung: 0 }]);
  });

  it('hyperband follows Li et al.', () => {
    expect(bracketCycle('hyperband', 3, 3)).toEqual([
      { size: 9, firstRung: 0 },
      { size: 5, firstRung: 1 },
      { size: 3, firstRung: 2 },
    ]);
    expect(bracketCycle('hyperband', 3, 5).map((bracket) => bracket.size)).toEqual([81, 34, 15, 8, 5]);
  });
});

describe('promotionCount', () => {
  it.each([
    [9, 3, 3],
    [3, 3, 1],
    [2, 3, 1],
    [1, 3, 1],
    [8, 2, 4],
  ])('%i members with eta %i promote %i', (members, eta, expected) => {
    expect(promotionCount(members, eta)).toBe(expected);
  });
});

describe('RungScheduler', () => {
  it('cuts the last bracket to the budget', () => {
    const scheduler = new RungScheduler({ kind: 'hyperband', minEpochs: 1, eta: 3 }, 9, 20);
    const brackets = [0, 9, 14, 17, 19].map((index) => scheduler.bracketOf(index));
    expect(brackets.map((bracket) => [bracket.number, bracket.start, bracket.size, bracket.firstRung])).toEqual([
      [0, 0, 9, 0],
      [1, 9, 5, 1],
      [2, 14, 3, 2],
      [3, 17, 3, 0],
      [3, 17, 3, 0],
    ]);
  });

  it('lets a whole bracket be proposed', () => {
    const scheduler = new RungScheduler({ kind: 'successive-halving', minEpochs: 1, eta: 3 }, 9, 20);
    expect(scheduler.proposalLimit(0, 2, 20)).toBe(9);
    expect(scheduler.proposalLimit(8, 2, 20)).toBe(10);
    expect(scheduler.proposalLimit(9, 2, 20)).toBe(18);
    expect(scheduler.proposalLimit(18, 4, 20)).toBe(20);
    expect(scheduler.proposalLimit(20, 4, 20)).toBe(20);
  });

  it('starts a hyperband trial at its bracket rung', () => {
    const scheduler = new RungScheduler({ kind: 'hyperband', minEpochs: 1, eta: 3 }, 9, 20);
    expect(scheduler.initialSchedule(10)).toEqual({
      bracket: 1,
      rung: 1,
      firstRung: 1,
      state: 'training',
      rungAccuracies: [],
      epochsSpent: 0,
    });
  });

  it.each([
    ['successive-halving', 2, 2, 4, 6],
    ['successive-halving', 3, 9, 9, 21],
    ['hyperband', 3, 9, 20, 21 + (5 * 3 + 6) + 3 * 9 + (3 + 2 + 6)],
  ] as const)('%s eta %i over %i epochs plans its epochs for budget %i', (kind, eta, epochs, budget, expected) => {
    const scheduler = new RungScheduler({ kind, minEpochs: 1, eta }, epochs, budget);
    expect(scheduler.plannedEpochs()).toBe(expected);
  });
});

import { describe, expect, it } from 'vitest';
import { CELL_OPS } from '../space/types';
import { RandomSearch } from './random-search';
import { driveStrategy, syntheticOperations, syntheticSpace } from './synthetic-space.fixture';

describe('RandomSearch', () => {
  it('proposes no hash twice', async () => {
    const space = syntheticSpace([...CELL_OPS]);
    const { hashes } = await driveStrategy(new RandomSearch(space, 1, syntheticOperations), space, 200, 7);
    expect(hashes).toHaveLength(200);
    expect(new Set(hashes).size).toBe(200);
  });

  it('returns an empty batch once the space is exhausted', async () => {
    const space = syntheticSpace(['nor_conv_3x3']);
    const strategy = new RandomSearch(space, 1, syntheticOperations);
    expect(await strategy.ask(5)).toHaveLength(1);
    expect(await strategy.ask(5)).toEqual([]);
  });

  it('stays distinct in a small space', async () => {
    const space = syntheticSpace(['none', 'skip_connect']);
    const { hashes } = await driveStrategy(new RandomSearch(space, 4, syntheticOperations), space, 100, 10);
    expect(hashes.length).toBeLessThanOrEqual(64);
    expect(hashes.length).toBeGreaterThan(40);
    expect(new Set(hashes).size).toBe(hashes.length);
  });

  it('makes the same proposals after a restore', async () => {
    const space = syntheticSpace([...CELL_OPS]);
    const uninterrupted = new RandomSearch(space, 3, syntheticOperations);
    const expected = [...(await uninterrupted.ask(10)), ...(await uninterrupted.ask(10))];

    const first = new RandomSearch(space, 3, syntheticOperations);
    const head = await first.ask(10);
    const restored = new RandomSearch(space, 3, syntheticOperations, JSON.parse(JSON.stringify(first.getState())));
    const tail = await restored.ask(10);
    expect([...head, ...tail]).toEqual(expected);
  });
});

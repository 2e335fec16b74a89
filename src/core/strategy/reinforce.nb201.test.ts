import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseBenchmarkTable, type BenchmarkTable } from '../evaluators/tabular';
import { hashArchitecture } from '../space';
import { CELL_OPS, type CellArch, type CellSpace } from '../space/types';
import { REINFORCE_DEFINITION } from './reinforce';
import { STRATEGIES } from './index';
import type { Strategy } from './types';

const CSV_PATH = new URL('../../../../shared/data/nb201/nb201-cifar.csv', import.meta.url);
const SPACE: CellSpace = { family: 'cell', name: 'NAS-Bench-201', ops: [...CELL_OPS], cellsPerStage: 5, stemChannels: 16 };
const BUDGET = 100;
const SEEDS = [1, 2, 3, 4, 5];

let table: BenchmarkTable;

beforeAll(async () => {
  await tf.setBackend('cpu');
  table = parseBenchmarkTable(readFileSync(CSV_PATH, 'utf8'), { signal: 'cifar10_valid_12ep', report: 'cifar10_test_200ep' });
});

/** Returns the best signal (validation accuracy) among the first BUDGET proposals. */
async function bestSignal(strategy: Strategy): Promise<number> {
  let best = 0;
  for (let index = 0; index < BUDGET; index++) {
    const [arch] = await strategy.ask(1);
    if (arch === undefined) break;
    const entry = table.lookup(arch as CellArch);
    expect(entry).toBeDefined();
    const signal = entry?.signal ?? 0;
    best = Math.max(best, signal);
    await strategy.tell([{ index, arch, hash: hashArchitecture(SPACE, arch), status: 'done', validationAccuracy: signal, feasible: true }]);
  }
  return best;
}

describe('ReinforceSearch on NAS-Bench-201', () => {
  it('beats random search at 100 queries', async () => {
    const defaults = Object.fromEntries(REINFORCE_DEFINITION.options.map((spec) => [spec.name, spec.default]));
    let reinforceTotal = 0;
    let randomTotal = 0;
    for (const seed of SEEDS) {
      const context = { space: SPACE, seed, costObjective: 'flops' as const };
      reinforceTotal += await bestSignal(REINFORCE_DEFINITION.create(context, defaults));
      randomTotal += await bestSignal(STRATEGIES.random.create(context, {}));
    }
    expect(reinforceTotal / SEEDS.length).toBeGreaterThan(randomTotal / SEEDS.length);
  });
});

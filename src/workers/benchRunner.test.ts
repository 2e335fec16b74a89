import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runBenchmark, type BenchmarkResult } from '../core/bench/harness';
import { benchJson } from '../core/bench/report';
import { ValidationError } from '../core/errors';
import { parseBenchmarkTable } from '../core/evaluators/tabular';
import type { BenchEvent, BenchRequest } from './benchProtocol';
import { runBenchRequest } from './benchRunner';

const csv = readFileSync(new URL('../../../shared/data/nb201/nb201-cifar.csv', import.meta.url), 'utf8');
const SETTINGS = { table: 'nb201-cifar.csv', signal: 'cifar10_valid_12ep', report: 'cifar10_test_200ep' };

const request: BenchRequest = {
  csv,
  signal: SETTINGS.signal,
  report: SETTINGS.report,
  strategies: ['random', 'local', 'evolution'],
  seeds: 3,
  firstSeed: 4,
  budget: 60,
  objectives: ['accuracy', 'flops'],
};

/** Converts a result to its JSON document with the timings zeroed, because they differ between any two runs. */
function withoutTimings(result: BenchmarkResult): unknown {
  const json = benchJson(result, SETTINGS);
  for (const strategy of Object.values(json.strategies)) strategy.proposalMs = 0;
  return json;
}

/** Runs `request` through the page's runner and through the harness directly, as the CLI calls it. */
async function runBoth(changes: Partial<BenchRequest>): Promise<{ page: BenchmarkResult; harness: BenchmarkResult; events: BenchEvent[] }> {
  const events: BenchEvent[] = [];
  const merged = { ...request, ...changes };
  const page = await runBenchRequest(merged, (event) => events.push(event));
  const harness = await runBenchmark({
    table: parseBenchmarkTable(csv, { signal: merged.signal, report: merged.report }),
    strategies: merged.strategies,
    seeds: merged.seeds,
    firstSeed: merged.firstSeed,
    budget: merged.budget,
    objectives: merged.objectives,
  });
  return { page, harness, events };
}

async function rejection(changes: Partial<BenchRequest>): Promise<ValidationError> {
  const error = await runBenchRequest({ ...request, ...changes }, () => undefined).catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(ValidationError);
  return error as ValidationError;
}

describe('runBenchRequest', () => {
  it('rejects a partial table', async () => {
    const partial = csv.split('\n').slice(0, 301).join('\n');
    const error = await rejection({ csv: partial, budget: 10 });
    expect(error.field).toBe('table');
    expect(error.message).toContain('missing 15325 of the 15625 cells');
  });

  it('matches the harness run by the CLI', async () => {
    const { page, harness, events } = await runBoth({});

    expect(withoutTimings(page)).toEqual(withoutTimings(harness));
    expect(events[0]).toEqual({ type: 'started', cells: 15625, optimumReport: harness.optimumReport });
    expect(events.filter((event) => event.type === 'seed')).toHaveLength(9);
  });

  it('runs REINFORCE on a tfjs backend', async () => {
    const { page, harness } = await runBoth({ strategies: ['reinforce'], seeds: 1, budget: 20, objectives: ['accuracy'] });

    expect(withoutTimings(page)).toEqual(withoutTimings(harness));
  });

  it('names line and column of a malformed table', async () => {
    const malformed = `index,arch,${SETTINGS.signal},${SETTINGS.report}\n${csv.split('\n').slice(1, 3).join('\n').replace(/,[0-9.]+,/, ',abc,')}\n`;
    const error = await rejection({ csv: malformed, budget: 1 });
    expect(error.field).toBe('table');
    expect(error.message).toMatch(/^the benchmark table is malformed at line 2, column "cifar10_valid_12ep": expected a number, got "abc"/);
  });

  it('rejects a budget over the table size', async () => {
    const error = await rejection({ budget: 15626 });
    expect(error.field).toBe('budget');
    expect(error.message).toBe("budget must be at most the table's 15625 rows, got 15626: set budget to 15625 or less");
  });

  it('rejects zero seeds naming the field', async () => {
    const error = await rejection({ seeds: 0 });
    expect(error.field).toBe('seeds');
  });
});

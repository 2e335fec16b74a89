// Benchmarks search strategies on a NAS-Bench-201 table: per strategy and
// seed, the report accuracy of the best-by-signal cell after a number of
// distinct queries, and the median ask time (wall clock and process CPU)
// with 300 observations.
// Usage: node --import ./scripts/register-ts.mjs scripts/benchmark-strategies.ts
//   [--dataset cifar10|cifar100] [--seeds 20] [--strategies bo,bananas,evolution,random] [--batch 1]
//   [--options JSON of strategy options] [--progress: running means per seed on stderr]
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { parseBenchmarkTable } from '../src/core/evaluators/tabular';
import { hashArchitecture, PRESET_SPACES } from '../src/core/space';
import type { CellArch, SearchSpace } from '../src/core/space/types';
import { BANANAS_DEFINITION } from '../src/core/strategy/bananas';
import { BAYESIAN_OPTIMISATION_DEFINITION } from '../src/core/strategy/bayesian-optimisation';
import { STRATEGIES, validateStrategyOptions } from '../src/core/strategy';
import type { Observation, Strategy, StrategyDefinition, StrategyOptions } from '../src/core/strategy/types';

const CHECKPOINTS = [50, 100, 150, 300];
const TIMED_ASKS = 9;
/**
 * Proposals allowed per distinct query before a run stops: evolution can
 * circle among evaluated cells, whose repeats cost no query. A stopped run
 * reports its best so far at the remaining checkpoints.
 */
const MAX_PROPOSALS_PER_QUERY = 20;

function argument(name: string, fallback: string): string {
  const position = process.argv.indexOf(`--${name}`);
  return position >= 0 && process.argv[position + 1] !== undefined ? process.argv[position + 1] : fallback;
}

const dataset = argument('dataset', 'cifar10');
const seeds = Number(argument('seeds', '20'));
const batch = Number(argument('batch', '1'));
const strategyNames = argument('strategies', 'bo,bananas,evolution,random').split(',');
const progress = process.argv.includes('--progress');
const overrides = JSON.parse(argument('options', '{}')) as StrategyOptions;

const table = parseBenchmarkTable(readFileSync(new URL('../../shared/data/nb201/nb201-cifar.csv', import.meta.url), 'utf8'), {
  signal: `${dataset}_valid_12ep`,
  report: `${dataset}_test_200ep`,
});
const space = PRESET_SPACES.find((preset) => preset.id === 'cell-nb201')?.space as SearchSpace;

function definitionOf(name: string): { definition: StrategyDefinition; options: StrategyOptions } {
  if (name === 'bo' || name === 'bananas') {
    const definition = name === 'bo' ? BAYESIAN_OPTIMISATION_DEFINITION : BANANAS_DEFINITION;
    const options: StrategyOptions = {};
    for (const spec of definition.options) options[spec.name] = overrides[spec.name] ?? spec.default;
    return { definition, options };
  }
  const registered = STRATEGIES[name as keyof typeof STRATEGIES];
  return { definition: registered, options: validateStrategyOptions(name, {}) };
}

interface SeedResult {
  reports: number[];
  askMilliseconds: number[];
  askCpuMilliseconds: number[];
}

async function runSeed(strategy: Strategy): Promise<SeedResult> {
  const stored = new Map<string, { signal: number; report: number }>();
  const reports: number[] = [];
  const askMilliseconds: number[] = [];
  const askCpuMilliseconds: number[] = [];
  let best = { signal: -1, report: 0 };
  let index = 0;
  const limit = CHECKPOINTS[CHECKPOINTS.length - 1];
  let proposals = 0;
  while (stored.size < limit || askMilliseconds.length < TIMED_ASKS) {
    if (proposals > MAX_PROPOSALS_PER_QUERY * limit) {
      stalled += 1;
      break;
    }
    const started = performance.now();
    const cpuStarted = process.cpuUsage();
    const archs = await strategy.ask(batch);
    const elapsed = performance.now() - started;
    const cpu = process.cpuUsage(cpuStarted);
    if (stored.size >= limit) {
      askMilliseconds.push(elapsed);
      askCpuMilliseconds.push((cpu.user + cpu.system) / 1000);
    }
    if (archs.length === 0) break;
    const observations: Observation[] = [];
    for (const arch of archs) {
      const hash = hashArchitecture(space, arch);
      proposals += 1;
      let result = stored.get(hash);
      if (result === undefined) {
        const entry = table.lookup(arch as CellArch);
        if (entry === undefined) throw new Error(`cell ${hash} is missing from the table`);
        result = { signal: entry.signal, report: entry.report };
        stored.set(hash, result);
        if (result.signal > best.signal) best = result;
        if (CHECKPOINTS.includes(stored.size)) reports.push(best.report * 100);
      }
      observations.push({ index: index++, arch, hash, status: 'done', validationAccuracy: result.signal, feasible: true });
    }
    await strategy.tell(observations);
  }
  while (reports.length < CHECKPOINTS.length) reports.push(best.report * 100);
  return { reports, askMilliseconds, askCpuMilliseconds };
}

/** Runs that hit MAX_PROPOSALS_PER_QUERY, per strategy. */
let stalled = 0;

function mean(values: number[]): number {
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

for (const name of strategyNames) {
  const { definition, options } = definitionOf(name);
  const perCheckpoint: number[][] = CHECKPOINTS.map(() => []);
  const times: number[] = [];
  const cpuTimes: number[] = [];
  const started = performance.now();
  stalled = 0;
  for (let seed = 1; seed <= seeds; seed++) {
    const strategy = definition.create({ space, seed, costObjective: 'params' }, options);
    const result = await runSeed(strategy);
    result.reports.forEach((report, i) => perCheckpoint[i].push(report));
    if (progress) {
      const partial = CHECKPOINTS.map((checkpoint, i) => `${checkpoint}: ${mean(perCheckpoint[i]).toFixed(3)}`).join('  ');
      console.error(`${dataset} ${name} after seed ${seed}: ${partial}`);
    }
    if (result.askMilliseconds.length > 0) {
      times.push(median(result.askMilliseconds));
      cpuTimes.push(median(result.askCpuMilliseconds));
    }
  }
  const cells = CHECKPOINTS.map((checkpoint, i) => `${checkpoint}: ${mean(perCheckpoint[i]).toFixed(3)}`).join('  ');
  const seconds = ((performance.now() - started) / 1000).toFixed(0);
  console.info(`${dataset} ${name} seeds=${seeds} batch=${batch}  ${cells}  ask@300 wall ${median(times).toFixed(1)} ms, cpu ${median(cpuTimes).toFixed(1)} ms  (${seconds} s, ${stalled} stalled runs)`);
}

// Benchmarks local search and NSGA-II against random search and regularized
// evolution on the NAS-Bench-201 table. Per strategy it prints the report
// and signal accuracy of the best-by-signal cell after 50, 100, 150 and 300
// distinct queries, the hypervolume of signal accuracy against FLOPs, and
// the median ask time with 300 or more observations.
// Usage: node --import ./scripts/register-ts.mjs scripts/bench-local-nsga.ts
//   [--dataset cifar10|cifar100] [--seeds 20] [--strategies random,evolution,local,nsga2]
//   [--options '{"populationSize":20}'] [--batch 1]
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { NB201_CIFAR10_INPUT, NB201_SKELETON, parseBenchmarkTable } from '../src/core/evaluators/tabular';
import { hypervolume, type ParetoPoint } from '../src/core/pareto';
import { architectureCost, hashArchitecture, PRESET_SPACES } from '../src/core/space';
import type { Architecture, CellArch, SearchSpace } from '../src/core/space/types';
import { STRATEGIES } from '../src/core/strategy';
import { LOCAL_SEARCH_DEFINITION } from '../src/core/strategy/local-search';
import { NSGA2_DEFINITION } from '../src/core/strategy/nsga2';
import type { Observation, Strategy, StrategyDefinition, StrategyOptions } from '../src/core/strategy/types';

const CHECKPOINTS = [50, 100, 150, 300];
const TIMED_ASKS = 21;

function argument(name: string, fallback: string): string {
  const position = process.argv.indexOf(`--${name}`);
  return position >= 0 && process.argv[position + 1] !== undefined ? process.argv[position + 1] : fallback;
}

const dataset = argument('dataset', 'cifar10');
const seeds = Number(argument('seeds', '20'));
const batch = Number(argument('batch', '1'));
const strategyNames = argument('strategies', 'random,evolution,local,nsga2').split(',');
const overrides = JSON.parse(argument('options', '{}')) as StrategyOptions;

const table = parseBenchmarkTable(readFileSync(new URL('../../shared/data/nb201/nb201-cifar.csv', import.meta.url), 'utf8'), {
  signal: `${dataset}_valid_12ep`,
  report: `${dataset}_test_200ep`,
});
const space = PRESET_SPACES.find((preset) => preset.id === 'cell-nb201')?.space as SearchSpace;

/** FLOPs (multiply-accumulates) of a cell on NAS-Bench-201's CIFAR skeleton, as the tabular evaluator reports them. */
const flopsByHash = new Map<string, number>();
function flopsOf(arch: Architecture, hash: string): number {
  let flops = flopsByHash.get(hash);
  if (flops === undefined) {
    flops = architectureCost(NB201_SKELETON, arch, NB201_CIFAR10_INPUT).flops;
    flopsByHash.set(hash, flops);
  }
  return flops;
}

// Hypervolume reference point: accuracy 0 and the largest FLOPs of any cell in the table.
const tablePoints: ParetoPoint[] = table.entries.map((entry, i) => ({
  id: String(i),
  accuracy: entry.signal,
  cost: flopsOf(entry.arch, hashArchitecture(space, entry.arch)),
}));
const referenceFlops = Math.max(...tablePoints.map((point) => point.cost));
const tableHypervolume = hypervolume(tablePoints, referenceFlops);

function definitionOf(name: string): { definition: StrategyDefinition; options: StrategyOptions } {
  const definitions: Record<string, StrategyDefinition> = {
    ...STRATEGIES,
    local: LOCAL_SEARCH_DEFINITION,
    nsga2: NSGA2_DEFINITION,
  };
  const definition = definitions[name];
  if (definition === undefined) throw new Error(`unknown strategy ${name}: use random, evolution, local or nsga2`);
  const options: StrategyOptions = {};
  for (const spec of definition.options) options[spec.name] = overrides[spec.name] ?? spec.default;
  return { definition, options };
}

interface SeedResult {
  /** Report accuracy (percent) of the best-by-signal cell at each checkpoint. */
  reports: number[];
  /** Signal accuracy (percent) of the best-by-signal cell at each checkpoint. */
  signals: number[];
  /** Hypervolume of the evaluated cells at each checkpoint. */
  hypervolumes: number[];
  askMilliseconds: number[];
}

async function runSeed(strategy: Strategy): Promise<SeedResult> {
  const stored = new Map<string, { signal: number; report: number; flops: number }>();
  const points: ParetoPoint[] = [];
  const result: SeedResult = { reports: [], signals: [], hypervolumes: [], askMilliseconds: [] };
  let best = { signal: -1, report: 0 };
  let index = 0;
  let wastedInARow = 0;
  const limit = CHECKPOINTS[CHECKPOINTS.length - 1];
  while (stored.size < limit || result.askMilliseconds.length < TIMED_ASKS) {
    const started = performance.now();
    const archs = await strategy.ask(batch);
    const elapsed = performance.now() - started;
    if (stored.size >= limit) result.askMilliseconds.push(elapsed);
    if (archs.length === 0 || wastedInARow >= 200) break;

    const observations: Observation[] = [];
    for (const arch of archs) {
      const hash = hashArchitecture(space, arch);
      let evaluated = stored.get(hash);
      if (evaluated === undefined) {
        // A repeated hash gets the result of its first evaluation and costs no query, as in the run loop.
        const entry = table.lookup(arch as CellArch);
        if (entry === undefined) throw new Error(`cell ${hash} is missing from the table`);
        evaluated = { signal: entry.signal, report: entry.report, flops: flopsOf(arch, hash) };
        stored.set(hash, evaluated);
        points.push({ id: hash, accuracy: evaluated.signal, cost: evaluated.flops });
        if (evaluated.signal > best.signal) best = evaluated;
        if (CHECKPOINTS.includes(stored.size)) {
          result.reports.push(best.report * 100);
          result.signals.push(best.signal * 100);
          result.hypervolumes.push(hypervolume(points, referenceFlops));
        }
        wastedInARow = 0;
      } else {
        wastedInARow++;
      }
      observations.push({
        index: index++,
        arch,
        hash,
        status: 'done',
        validationAccuracy: evaluated.signal,
        cost: evaluated.flops,
        feasible: true,
      });
    }
    await strategy.tell(observations);
  }
  return result;
}

function mean(values: number[]): number {
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}

/** Returns the mean and its standard error, e.g. `94.123±0.021`. */
function meanWithError(values: number[], digits: number): string {
  const average = mean(values);
  const variance = values.reduce((sum, value) => sum + (value - average) ** 2, 0) / Math.max(1, values.length - 1);
  return `${average.toFixed(digits)}±${Math.sqrt(variance / values.length).toFixed(digits)}`;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

console.info(
  `${dataset}: hypervolume reference (accuracy 0, ${referenceFlops} FLOPs), whole table ${tableHypervolume.toFixed(5)}; seeds 1..${seeds}, batch ${batch}`,
);
for (const name of strategyNames) {
  const { definition, options } = definitionOf(name);
  const reports: number[][] = CHECKPOINTS.map(() => []);
  const signals: number[][] = CHECKPOINTS.map(() => []);
  const hypervolumes: number[][] = CHECKPOINTS.map(() => []);
  const times: number[] = [];
  const started = performance.now();
  for (let seed = 1; seed <= seeds; seed++) {
    const strategy = definition.create({ space, seed, costObjective: 'flops' }, options);
    const result = await runSeed(strategy);
    result.reports.forEach((report, i) => reports[i].push(report));
    result.signals.forEach((signal, i) => signals[i].push(signal));
    result.hypervolumes.forEach((value, i) => hypervolumes[i].push(value));
    times.push(...result.askMilliseconds);
  }
  const accuracyCells = CHECKPOINTS.map((checkpoint, i) => `${checkpoint}: ${meanWithError(reports[i], 3)}`).join('  ');
  const signalCells = CHECKPOINTS.map((checkpoint, i) => `${checkpoint}: ${meanWithError(signals[i], 3)}`).join('  ');
  const volumeCells = CHECKPOINTS.map((checkpoint, i) => `${checkpoint}: ${meanWithError(hypervolumes[i], 5)}`).join('  ');
  const seconds = ((performance.now() - started) / 1000).toFixed(0);
  console.info(`${name} ${JSON.stringify(options)}`);
  console.info(`  report of best-by-signal  ${accuracyCells}`);
  console.info(`  signal of best-by-signal  ${signalCells}`);
  console.info(`  hypervolume               ${volumeCells}`);
  console.info(`  median ask with 300+ observations ${median(times).toFixed(3)} ms  (${seconds} s)`);
}

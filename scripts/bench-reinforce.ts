// Benchmark of the REINFORCE strategy on the NAS-Bench-201 table beside the
// checkout (../shared/data/nb201/nb201-cifar.csv), next to random search and
// regularized evolution with their registry defaults. Prints, per dataset and
// strategy, the mean report accuracy of the best-by-signal architecture after
// 50, 100, 150 and 300 distinct queries, and the median proposal time.
//
// Run from the repository root (the register hook strips TypeScript types):
//   node --import ./scripts/register-ts.mjs scripts/bench-reinforce.ts --seeds 20
// Options: --seeds N, --first-seed N, --strategies reinforce,random,evolution,
//   --datasets CIFAR-10,CIFAR-100,
//   --learning-rate, --entropy-weight, --baseline-decay, --temperature, --hidden-size.
import '@tensorflow/tfjs-backend-cpu';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { parseBenchmarkTable, type BenchmarkTable } from '../src/core/evaluators/tabular';
import { hashArchitecture } from '../src/core/space';
import type { CellArch, CellSpace } from '../src/core/space/types';
import { CELL_OPS } from '../src/core/space/types';
import { STRATEGIES } from '../src/core/strategy';
import { REINFORCE_DEFINITION } from '../src/core/strategy/reinforce';
import type { StrategyDefinition, StrategyOptions } from '../src/core/strategy/types';

const TABLE_PATH = new URL('../../shared/data/nb201/nb201-cifar.csv', import.meta.url);
const CHECKPOINTS = [50, 100, 150, 300];
const BUDGET = 300;
/** Repeated proposals in a row after which a run ends early, as the run loop's MAX_WASTED_PROPOSALS does. */
const MAX_REPEATS_IN_A_ROW = 200;
/** Asks timed after BUDGET observations, for the median proposal time. */
const TIMED_ASKS = 21;

const DATASETS = [
  { name: 'CIFAR-10', signal: 'cifar10_valid_12ep', report: 'cifar10_test_200ep' },
  { name: 'CIFAR-100', signal: 'cifar100_valid_12ep', report: 'cifar100_test_200ep' },
];

const SPACE: CellSpace = { family: 'cell', name: 'NAS-Bench-201', ops: [...CELL_OPS], cellsPerStage: 5, stemChannels: 16 };

function readArgs(argv: string[]): Map<string, string> {
  const args = new Map<string, string>();
  for (let i = 0; i < argv.length; i += 2) {
    if (!argv[i].startsWith('--') || argv[i + 1] === undefined) throw new Error(`expected --name value pairs, got ${argv.slice(i).join(' ')}`);
    args.set(argv[i].slice(2), argv[i + 1]);
  }
  return args;
}

function defaultsOf(definition: StrategyDefinition): StrategyOptions {
  return Object.fromEntries(definition.options.map((spec) => [spec.name, spec.default]));
}

interface SeedResult {
  /** Report accuracy (%) of the best-by-signal architecture at each checkpoint. */
  reports: number[];
  askMs: number[];
}

async function runSeed(definition: StrategyDefinition, options: StrategyOptions, table: BenchmarkTable, seed: number): Promise<SeedResult> {
  const strategy = definition.create({ space: SPACE, seed, costObjective: 'flops' }, options);
  const seen = new Set<string>();
  const reports: number[] = [];
  let bestSignal = -Infinity;
  let bestReport = 0;
  let index = 0;
  let repeatsInARow = 0;
  while (seen.size < BUDGET && repeatsInARow < MAX_REPEATS_IN_A_ROW) {
    const [arch] = await strategy.ask(1);
    if (arch === undefined) break;
    const entry = table.lookup(arch as CellArch);
    if (entry === undefined) throw new Error(`cell ${(arch as CellArch).edges.join(',')} is missing from the table`);
    const hash = hashArchitecture(SPACE, arch);
    repeatsInARow++;
    if (!seen.has(hash)) {
      repeatsInARow = 0;
      seen.add(hash);
      if (entry.signal > bestSignal) {
        bestSignal = entry.signal;
        bestReport = entry.report;
      }
      if (CHECKPOINTS.includes(seen.size)) reports.push(bestReport * 100);
    }
    await strategy.tell([{ index, arch, hash, status: 'done', validationAccuracy: entry.signal, feasible: true }]);
    index++;
  }
  // A run that ended early keeps its last best at the checkpoints it did not reach.
  while (reports.length < CHECKPOINTS.length) reports.push(bestReport * 100);

  const askMs: number[] = [];
  for (let i = 0; i < TIMED_ASKS; i++) {
    const start = performance.now();
    await strategy.ask(1);
    askMs.push(performance.now() - start);
  }
  return { reports, askMs };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** Formats the mean and its standard error, e.g. `94.19 ± 0.03`. */
function summarise(values: number[]): string {
  const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
  const variance = values.reduce((sum, value) => sum + (value - mean) ** 2, 0) / Math.max(1, values.length - 1);
  return `${mean.toFixed(2)} ± ${Math.sqrt(variance / values.length).toFixed(2)}`;
}

async function main(): Promise<void> {
  const args = readArgs(process.argv.slice(2));
  const seeds = Number(args.get('seeds') ?? 20);
  const firstSeed = Number(args.get('first-seed') ?? 1);
  const names = (args.get('strategies') ?? 'reinforce,random,evolution').split(',');
  const datasets = DATASETS.filter((dataset) => (args.get('datasets') ?? 'CIFAR-10,CIFAR-100').split(',').includes(dataset.name));
  const reinforceOptions: StrategyOptions = { ...defaultsOf(REINFORCE_DEFINITION) };
  for (const [flag, option] of [
    ['learning-rate', 'learningRate'],
    ['entropy-weight', 'entropyWeight'],
    ['baseline-decay', 'baselineDecay'],
    ['temperature', 'temperature'],
    ['hidden-size', 'hiddenSize'],
  ]) {
    if (args.has(flag)) reinforceOptions[option] = Number(args.get(flag));
  }
  console.info(`reinforce options ${JSON.stringify(reinforceOptions)}, seeds ${firstSeed}..${firstSeed + seeds - 1}`);

  const csv = readFileSync(TABLE_PATH, 'utf8');
  for (const dataset of datasets) {
    const table = parseBenchmarkTable(csv, { signal: dataset.signal, report: dataset.report });
    for (const name of names) {
      const definition = name === 'reinforce' ? REINFORCE_DEFINITION : STRATEGIES[name as keyof typeof STRATEGIES];
      const options = name === 'reinforce' ? reinforceOptions : defaultsOf(definition);
      const reports: number[][] = CHECKPOINTS.map(() => []);
      const askMs: number[] = [];
      for (let seed = firstSeed; seed < firstSeed + seeds; seed++) {
        const result = await runSeed(definition, options, table, seed);
        result.reports.forEach((report, i) => reports[i].push(report));
        askMs.push(median(result.askMs));
      }
      const columns = reports.map((values, i) => `${CHECKPOINTS[i]}: ${summarise(values)}`).join('  ');
      console.info(`${dataset.name} ${name.padEnd(10)} ${columns}  median ask ${median(askMs).toFixed(2)} ms`);
    }
  }
}

await main();

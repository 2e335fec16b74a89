// `npm run bench:train`: training and inference throughput per environment
// and backend, printed as a table with the machine's load and peaks, and
// optionally written as JSON.
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { theoreticalPeak } from './cpu-peak';
import { BENCH_MODEL_IDS, DEFAULT_MODEL_IDS } from './models';
import type { BackendMeasurement } from './node';
import { USAGE, UsageError, checkJsonDirectory, parseBenchTrainArgs, toJsonRecord, type Environment, type ThroughputRow } from './options';

/** Runs the benchmark for `argv`; returns the process exit code (0 success, 1 failure, 2 bad input). */
export async function main(argv: string[]): Promise<number> {
  let options;
  try {
    options = parseBenchTrainArgs(argv);
    if (options?.jsonPath != null) checkJsonDirectory(options.jsonPath);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(error.message);
    return 2;
  }
  if (options === null) {
    console.info(USAGE);
    return 0;
  }
  const modelIds = options.models.length === 0 ? DEFAULT_MODEL_IDS : options.models.includes('all') ? BENCH_MODEL_IDS : options.models;
  const unknown = modelIds.filter((id) => !BENCH_MODEL_IDS.includes(id));
  if (unknown.length > 0) {
    console.error(`unknown model ${unknown.join(', ')}: use ids from ${BENCH_MODEL_IDS.join(', ')}`);
    return 2;
  }

  printMachine();
  const log = (line: string): void => console.info(`  ${line}`);
  const rows: ThroughputRow[] = [];
  for (const environment of options.environments) {
    const measured = await measureEnvironment(environment, options, modelIds, log);
    printTable(environment, measured);
    for (const backend of measured) {
      for (const m of backend.models) {
        rows.push({
          environment,
          backend: backend.backend,
          model: m.model,
          trainImagesPerSecond: m.trainImagesPerSecond,
          inferImagesPerSecond: m.inferImagesPerSecond,
          gflops: m.gflops,
          peakRatio: m.peakRatio,
        });
      }
    }
  }
  console.info(`load average after the run: ${loadavg().map((load) => load.toFixed(2)).join(' ')}`);
  if (options.jsonPath !== null) {
    writeFileSync(options.jsonPath, `${JSON.stringify(toJsonRecord(rows), null, 2)}\n`);
    console.info(`wrote ${options.jsonPath}`);
  }
  return 0;
}

async function measureEnvironment(
  environment: Environment,
  options: NonNullable<ReturnType<typeof parseBenchTrainArgs>>,
  modelIds: string[],
  log: (line: string) => void,
): Promise<BackendMeasurement[]> {
  console.info(`${environment}:`);
  if (environment === 'node') {
    const { runNode } = await import('./node');
    return runNode(options, modelIds, log);
  }
  const { runChromium } = await import('./chromium');
  const result = await runChromium(options, modelIds, log);
  log(`browser: ${result.userAgent}`);
  return result.backends;
}

function printMachine(): void {
  const cores = cpus();
  let cpuinfo = '';
  try {
    cpuinfo = readFileSync('/proc/cpuinfo', 'utf8');
  } catch {
    // No /proc/cpuinfo (not Linux): the peak falls back to 4 SSE lanes and os.cpus()'s clock.
  }
  const flags = /^flags\s*:(.*)$/m.exec(cpuinfo)?.[1] ?? '';
  // Some virtual machines report a clock of 0 to os.cpus() but not in /proc/cpuinfo.
  const megahertz = cores[0]?.speed || Number(/^cpu MHz\s*:\s*([\d.]+)/m.exec(cpuinfo)?.[1] ?? 0);
  const peak = theoreticalPeak(cores.length, megahertz, flags);
  console.info(`machine: ${cores[0]?.model ?? 'unknown CPU'}, load average ${loadavg().map((load) => load.toFixed(2)).join(' ')}`);
  console.info(`theoretical float32 peak: ${peak.gflops.toFixed(0)} GFLOP/s = ${peak.assumption}`);
  console.info('training GFLOP/s are estimates: 3 x forward multiply-accumulates x 2 FLOPs per image');
}

function printTable(environment: Environment, measured: BackendMeasurement[]): void {
  const header = ['backend', 'model', 'batch', 'MMAC/img', 'train img/s', 'train img/s (CPU time)', 'infer img/s', 'train GFLOP/s', 'matmul GFLOP/s', 'of matmul'];
  const lines = [header];
  for (const backend of measured) {
    for (const m of backend.models) {
      lines.push([
        backend.backend,
        m.model,
        String(m.batchSize),
        (m.forwardMacs / 1e6).toFixed(2),
        m.trainImagesPerSecond.toFixed(0),
        m.trainCpuImagesPerSecond === null ? '-' : m.trainCpuImagesPerSecond.toFixed(0),
        m.inferImagesPerSecond.toFixed(0),
        m.gflops.toFixed(2),
        backend.peakGflops.toFixed(1),
        `${(m.peakRatio * 100).toFixed(1)}%`,
      ]);
    }
  }
  const widths = header.map((_, column) => Math.max(...lines.map((line) => line[column].length)));
  console.info(`${environment} results:`);
  for (const line of lines) console.info(`  ${line.map((cell, column) => cell.padStart(widths[column])).join('  ')}`);
}

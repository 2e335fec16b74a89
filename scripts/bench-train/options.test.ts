import { describe, expect, it } from 'vitest';
import { DEFAULT_OPTIONS, UsageError, parseBenchTrainArgs, toJsonRecord, trainingFlopsPerImage } from './options';

describe('parseBenchTrainArgs', () => {
  it('returns defaults for no arguments', () => {
    expect(parseBenchTrainArgs([])).toEqual(DEFAULT_OPTIONS);
  });

  it('reads every option', () => {
    const options = parseBenchTrainArgs([
      '--env', 'node',
      '--backends', 'cpu,wasm',
      '--models', 'reference,cell-nb201',
      '--batch', '32',
      '--cpu-batch', '4',
      '--seconds', '0.5',
      '--json', 'out.json',
    ]);
    expect(options).toEqual({
      environments: ['node'],
      backends: ['cpu', 'wasm'],
      models: ['reference', 'cell-nb201'],
      batchSize: 32,
      cpuBatchSize: 4,
      seconds: 0.5,
      jsonPath: 'out.json',
    });
  });

  it('returns null for help', () => {
    expect(parseBenchTrainArgs(['--help'])).toBeNull();
  });

  it.each([
    [['--env', 'deno']],
    [['--backends', 'tpu']],
    [['--batch', '0']],
    [['--batch', '2.5']],
    [['--cpu-batch', '-1']],
    [['--seconds', 'x']],
    [['--json']],
    [['--verbose', '1']],
  ])('rejects %j', (argv) => {
    expect(() => parseBenchTrainArgs(argv)).toThrow(UsageError);
  });
});

describe('toJsonRecord', () => {
  it('keys rows by environment, backend and model', () => {
    const numbers = { trainImagesPerSecond: 1500, inferImagesPerSecond: 6000, gflops: 6, peakRatio: 0.3 };
    const record = toJsonRecord([{ environment: 'node', backend: 'wasm', model: 'reference', ...numbers }]);
    expect(record).toEqual({ 'node/wasm/reference': numbers });
    expect(JSON.parse(JSON.stringify(record))).toEqual(record);
  });
});

describe('trainingFlopsPerImage', () => {
  it('counts three passes of two FLOPs per multiply-accumulate', () => {
    expect(trainingFlopsPerImage(1000)).toBe(6000);
  });
});

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_OPTIONS, UsageError, checkJsonDirectory, parseBenchTrainArgs, toJsonRecord, trainingFlopsPerImage } from './options';

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
    [['--batch', '1025']],
    [['--cpu-batch', '100000']],
    [['--seconds', '61']],
  ])('rejects %j', (argv) => {
    expect(() => parseBenchTrainArgs(argv)).toThrow(UsageError);
  });

  it('accepts the upper limits', () => {
    const options = parseBenchTrainArgs(['--batch', '1024', '--cpu-batch', '1024', '--seconds', '60']);
    expect(options?.batchSize).toBe(1024);
    expect(options?.seconds).toBe(60);
  });

  it('rejects node with only browser backends', () => {
    expect(() => parseBenchTrainArgs(['--env', 'node', '--backends', 'webgl'])).toThrow(/--env node has none of --backends webgl/);
  });

  it('accepts both environments with a shared backend', () => {
    expect(parseBenchTrainArgs(['--backends', 'wasm,webgl'])?.backends).toEqual(['wasm', 'webgl']);
  });
});

describe('checkJsonDirectory', () => {
  it('rejects a missing directory', () => {
    expect(() => checkJsonDirectory('/nonexistent/dir/x.json')).toThrow(/directory \/nonexistent\/dir does not exist/);
    expect(() => checkJsonDirectory(tmpdir())).toThrow(/is a directory: pass a file path/);
    expect(() => checkJsonDirectory('')).toThrow(/--json needs a file path/);
  });

  it('rejects a file as the directory', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bench-json-'));
    writeFileSync(join(dir, 'plain'), '');
    expect(() => checkJsonDirectory(join(dir, 'plain', 'x.json'))).toThrow(/is not a directory/);
  });

  it('accepts an existing directory', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bench-json-'));
    expect(() => checkJsonDirectory(join(dir, 'x.json'))).not.toThrow();
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

// The fixture script's refusals: each bad file or flag combination exits
// with a message before any training, and leaves existing files as they were.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FIXTURE_VERSION, main } from './proxy-fixture';

let folder: string;
let stderr: string;

beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), 'proxy-fixture-'));
  stderr = '';
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    stderr += String(chunk);
    return true;
  });
  vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
});

afterEach(() => {
  vi.restoreAllMocks();
});

const TINY = ['--count', '1', '--train', '32', '--validation', '32', '--test', '32', '--epochs', '1'];

/** A fixture file of this layout, made with 2 epochs, holding no architecture yet. */
function writeFixture(path: string): string {
  const text = JSON.stringify({
    version: FIXTURE_VERSION,
    description: '',
    command: 'test',
    commit: 'none',
    createdAt: '2026-12-05T00:00:00.000Z',
    backend: 'wasm',
    device: 'test',
    settings: {
      seed: 2026,
      count: 1,
      dataset: { trainSize: 32, validationSize: 32, testSize: 32, splitSeed: 1 },
      training: { epochs: 2, batchSize: 32, optimizer: 'adam', learningRate: 0.003, momentum: 0.9, schedule: 'cosine', patience: 0 },
      proxyBatchSize: 128,
    },
    spaces: {},
    complete: false,
    architectures: [],
  });
  writeFileSync(path, text);
  return text;
}

describe('make-proxy-fixture', () => {
  it('refuses to restart a fixture made with other settings', async () => {
    const output = join(folder, 'fixture.json');
    const before = writeFixture(output);
    expect(await main([...TINY, '--output', output])).toBe(1);
    expect(stderr).toContain(`${output} was made with other settings (dataset, training)`);
    expect(readFileSync(output, 'utf8')).toBe(before);
  });

  it('refuses an output that is not a fixture', async () => {
    const output = join(folder, 'package.json');
    writeFileSync(output, '{"name":"mine"}');
    expect(await main([...TINY, '--output', output])).toBe(1);
    expect(stderr).toContain('is not a fixture of this script: it has no numeric "version"');
    expect(readFileSync(output, 'utf8')).toBe('{"name":"mine"}');
  });

  it('names a truncated file in --report', async () => {
    const output = join(folder, 'cut.json');
    writeFileSync(output, '{"version":');
    expect(await main(['--report', '--output', output])).toBe(1);
    expect(stderr).toContain(`${output} is not valid JSON`);
  });

  it('rejects --report with --merge', async () => {
    expect(await main(['--report', '--merge', join(folder, 'part.json')])).toBe(2);
    expect(stderr).toContain('--merge and --report cannot be combined');
  });

  it('rejects more images than MNIST holds', async () => {
    expect(await main(['--train', '9000', '--validation', '1000', '--test', '1000'])).toBe(2);
    expect(stderr).toContain('add up to 11000 images, more than the 10000');
  });

  it('rejects an empty --seed', async () => {
    expect(await main(['--seed='])).toBe(2);
    expect(stderr).toContain('--seed must be an integer of at least 0, got ""');
  });

  it('rejects an output folder that does not exist', async () => {
    expect(await main([...TINY, '--output', join(folder, 'missing', 'x.json')])).toBe(1);
    expect(stderr).toContain('does not exist; create it or pass another --output');
  });
});

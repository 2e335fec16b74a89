import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Random } from '../src/core/random';
import { oneHotEncoding, PRESET_SPACES, sampleArchitecture } from '../src/core/space';
import type { SearchSpace } from '../src/core/space/types';
import { encodeAcrossSpaces, formatEstimationReport, predictorCorrelations, writeSection, type EstimationFixture } from './performance-estimation';

const root = mkdtempSync(join(tmpdir(), 'estimation-report-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/**
 * A synthetic fixture in the layout of fixtures/mnist-archs-v1.json: 50
 * architectures of two preset spaces whose saturating 4-epoch curves end at
 * an accuracy set by a fixed linear function of the encoding.
 */
function syntheticFixture(): EstimationFixture {
  const ids = ['sequential-6x5', 'sequential-skip'];
  const spaces = Object.fromEntries(ids.map((id) => [id, PRESET_SPACES.find((preset) => preset.id === id)?.space as SearchSpace]));
  const random = new Random(3);
  const architectures = Array.from({ length: 50 }, (_, i) => {
    const spaceId = ids[i % 2];
    const arch = sampleArchitecture(spaces[spaceId], random);
    const encoding = oneHotEncoding(spaces[spaceId], arch);
    const final = 0.6 + 0.3 * (encoding.reduce((sum, bit, j) => sum + bit * ((j * 7) % 5), 0) / (4 * encoding.length));
    const curve = [1, 2, 3, 4].map((epoch, e) => ({ epoch: e, loss: 1, trainAccuracy: 0, validationAccuracy: final * (1 - 0.5 * Math.exp(-epoch)) }));
    return { spaceId, arch, status: 'done', curve, validationAccuracy: Math.max(...curve.map((point) => point.validationAccuracy)) };
  });
  return {
    version: 1,
    command: 'synthetic',
    commit: '0000000000',
    backend: 'cpu',
    device: 'test',
    complete: true,
    settings: { dataset: { trainSize: 100, validationSize: 50 }, training: { epochs: 4 } },
    spaces,
    architectures,
  };
}

const fixture = syntheticFixture();
const options = { splits: 2, orders: 2, seed: 1 };

describe('estimation report', () => {
  it('encodes spaces in separate blocks', () => {
    const encodings = encodeAcrossSpaces(fixture);
    expect(new Set(encodings.map((encoding) => encoding.length)).size).toBe(1);
    expect(encodings[0][0] + encodings[1][0]).toBe(1);
  });

  it('measures predictors up to 40 points', () => {
    const rows = predictorCorrelations(fixture, options);
    expect(rows.map((row) => `${row.predictor} ${row.trainingSize}`)).toEqual([
      'gp 10', 'mlp 10', 'trees 10', 'gp 20', 'mlp 20', 'trees 20', 'gp 40', 'mlp 40', 'trees 40',
    ]);
    for (const row of rows) expect(row.spearman).toHaveLength(2);
  });

  it('formats every section and the target check', () => {
    const text = formatEstimationReport(fixture, 'synthetic.json', options, 'node scripts/estimation-report.mjs');
    expect(text).toMatch(/^## Performance estimation/);
    expect(text).toContain('| Gaussian process | 40 | 10 |');
    expect(text).toMatch(/\| full training \| 20000 \| 100\.0% \| 0\.0 \|/);
    expect(text).toMatch(/Result: \d+\.\d\d points and \d+\.\d% of the images, so the target is (met|not met)\./);
  });

  it('replaces its section on a second write', () => {
    const path = join(root, 'benchmarks.md');
    writeFileSync(path, '# Benchmarks\n\nintro\n');
    writeSection(path, '## Performance estimation\n\nfirst\n');
    writeSection(path, '## Performance estimation\n\nsecond\n');
    const text = readFileSync(path, 'utf8');
    expect(text).toContain('intro');
    expect(text).toContain('second');
    expect(text).not.toContain('first');
  });
});

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Random } from '../src/core/random';
import { oneHotEncoding, PRESET_SPACES, sampleArchitecture } from '../src/core/space';
import type { SearchSpace } from '../src/core/space/types';
import {
  encodeAcrossSpaces,
  explainHalvingGap,
  formatEstimationReport,
  predictorCorrelations,
  writeSection,
  type EstimationFixture,
} from './performance-estimation';

const root = mkdtempSync(join(tmpdir(), 'estimation-report-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const EPOCHS = 9;

/**
 * Returns a synthetic fixture in the layout of fixtures/mnist-archs-v2.json:
 * 50 architectures of two preset spaces whose saturating 9-epoch curves end
 * at an accuracy set by a fixed linear function of the encoding.
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
    const curve = Array.from({ length: EPOCHS }, (_, e) => ({ epoch: e, loss: 1, trainAccuracy: 0, validationAccuracy: final * (1 - 0.5 * Math.exp(-(e + 1))) }));
    return { spaceId, arch, status: 'done', curve, validationAccuracy: Math.max(...curve.map((point) => point.validationAccuracy)) };
  });
  return {
    version: 1,
    command: 'synthetic',
    commit: '0000000000',
    backend: 'cpu',
    device: 'test',
    complete: true,
    settings: { dataset: { trainSize: 100, validationSize: 50 }, training: { epochs: EPOCHS } },
    spaces,
    architectures,
  };
}

const fixture = syntheticFixture();
const options = { splits: 2, orders: 2, seed: 1 };
let formatted: string | undefined;

/** Returns the report of the synthetic fixture, formatted once because the curve-stop replay takes seconds. */
function report(): string {
  formatted ??= formatEstimationReport(fixture, 'synthetic.json', options, 'node scripts/estimation-report.mjs');
  return formatted;
}

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
    const text = report();
    expect(text).toMatch(/^## Performance estimation/);
    expect(text).toContain('| Gaussian process | 40 | 10 |');
    expect(text).toMatch(/\| full training \| 45000 \| 100\.0% \| 0\.0 \|/);
    expect(text).toContain('| early stopping, patience 2 |');
    expect(text).toContain('| curve stop, 3rd best, p 0.95, min epochs 3 |');
    expect(text).toMatch(/Result: \d+\.\d\d points and \d+\.\d% of the images, so the target is (met|not met)\./);
  });

  it('halving trains a quarter of 9-epoch curves', () => {
    // Rungs 1, 3 and 9: 50 architectures for 1 epoch, 16 for 2 more, 5 for 6 more, of 450 epochs.
    const text = report();
    expect(text).toMatch(/\| successive halving, eta 3, min epochs 1 \| 11200 \| 24\.9% \|/);
  });

  it('explains a halving gap by rank', () => {
    // Architecture 0 is worst after 1 epoch and best at the end, so the first rung drops it.
    const lateCurve = fixture.architectures[0].curve.map((point, e) => ({ ...point, validationAccuracy: e === 0 ? 0.01 : 0.99 }));
    const late = [{ ...fixture.architectures[0], curve: lateCurve }, ...fixture.architectures.slice(1)];
    const [line] = explainHalvingGap({ ...fixture, architectures: late });
    expect(line).toMatch(/^Full training's best architecture \(index 0, 99\.00%\): after 1 epoch it ranks 50 of 50 with 1\.00%/);
    expect(line).not.toContain('after 3 epochs');
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

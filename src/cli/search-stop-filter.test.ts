// `nas-studio search` with --curve-stop and --predictor: the flags' errors,
// and a predictor-filtered search on a NAS-Bench-201 table.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultRunConfig } from '../core/run/config';
import type { RunRecord, Trial } from '../core/run/types';
import { PRESET_SPACES } from '../core/space';
import { createTempRoot, runCli, TABLE_FLAGS } from './searchCli.fixture';

const NB201_SPACE = PRESET_SPACES.find((preset) => preset.id === 'cell-nb201')?.space;

const { freshDir, writeConfig } = createTempRoot('nas-studio-stop-filter-');

function configFile(changes: Record<string, unknown> = {}): string {
  return writeConfig({ ...defaultRunConfig(structuredClone(NB201_SPACE), 1), name: 'filtered', budget: 20, seed: 5, ...changes });
}

describe('nas-studio search stop and filter flags', () => {
  it.each([
    ['--kth-best without --curve-stop', ['--kth-best', '2'], /--kth-best is only used with --curve-stop/],
    ['--predictor-keep-fraction without --predictor', ['--predictor-keep-fraction', '0.3'], /--predictor-keep-fraction is only used with --predictor/],
    ['an unknown model', ['--predictor', 'svm'], /--predictor "svm": estimation\.predictorFilter\.model must be one of gp, mlp, trees, got "svm"/],
    ['a probability of 1', ['--curve-stop', '--stop-probability', '1'], /--stop-probability "1": estimation\.curveStop\.probability must be a number in \(0, 1\)/],
    ['a probability of 1.0', ['--curve-stop', '--stop-probability', '1.0'], /--stop-probability "1\.0": estimation\.curveStop\.probability must be a number in \(0, 1\)/],
    ['a hexadecimal probability', ['--curve-stop', '--stop-probability', '0x1'], /--stop-probability must be a decimal number, got "0x1"/],
    ['a text keep fraction', ['--predictor', 'gp', '--predictor-keep-fraction', 'half'], /--predictor-keep-fraction must be a decimal number, got "half"/],
  ])('rejects %s', async (_name, flags, message) => {
    const result = await runCli(['search', '--config', configFile(), '--out', freshDir(), ...flags]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
  });

  it('rejects --curve-stop with --table', async () => {
    const result = await runCli(['search', '--config', configFile(), '--out', freshDir(), '--curve-stop', ...TABLE_FLAGS]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/the curve stop extrapolates learning curves, but --table looks results up without training/);
  });

  it.each([
    ['--curve-min-epochs at the epochs', ['--curve-stop', '--curve-min-epochs', '50'], /--curve-min-epochs 50 can never act: estimation\.curveStop\.minEpochs must be less than training\.epochs \(4\)/],
    ['--kth-best above the budget', ['--curve-stop', '--kth-best', '1000000', '--curve-min-epochs', '2'], /--kth-best 1000000 can never act: .*kthBest must be less than budget \(20\)/],
    ['--predictor-min-trials above the budget', ['--predictor', 'gp', '--predictor-min-trials', '1000'], /--predictor-min-trials 1000 can never act: .*minTrials must be less than budget \(20\)/],
  ])('rejects %s', async (_name, flags, message) => {
    const config = configFile({ training: { ...defaultRunConfig(structuredClone(NB201_SPACE), 1).training, epochs: 4 } });
    const result = await runCli(['search', '--config', config, '--out', freshDir(), ...flags]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
  });

  it('rejects a default predictor wait above the budget', async () => {
    const result = await runCli(['search', '--config', configFile({ budget: 3 }), '--out', freshDir(), '--predictor', 'gp']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/minTrials must be less than budget \(3\) .*, got 10: .*--config file or by a flag's default/);
  });

  it('rejects weight inheritance with --table', async () => {
    const result = await runCli(['search', '--config', configFile({ estimation: { weightInheritance: true } }), '--out', freshDir(), ...TABLE_FLAGS]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/estimation\.weightInheritance copies trained weights, but --table looks results up without training/);
  });

  it('filters a table search and records why', async () => {
    const out = freshDir();
    const flags = ['--predictor', 'trees', '--predictor-min-trials', '5', '--predictor-keep-fraction', '0.5'];
    const result = await runCli(['search', '--config', configFile(), '--out', out, ...flags, ...TABLE_FLAGS]);
    expect(result.code).toBe(0);

    const record = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')) as RunRecord;
    expect(record.config.estimation?.predictorFilter).toEqual({ model: 'trees', minTrials: 5, keepFraction: 0.5 });
    const trials = readFileSync(join(out, 'trials.jsonl'), 'utf8')
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as Trial);
    const pruned = trials.filter((trial) => trial.status === 'pruned');
    expect(trials).toHaveLength(20);
    expect(pruned.length).toBeGreaterThan(0);
    for (const trial of pruned) expect(trial.stopReason).toMatch(/^predictor filter: predicted .* below .*tree ensemble's predictions/);
  });
});

import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunConfig, RunRecord, Trial } from '../core/run/types';
import { createTempRoot, runCli, TABLE_FLAGS } from './searchCli.fixture';
import { tinyMnistConfig } from './tinyMnist.fixture';

const { freshDir, writeConfig } = createTempRoot('nas-studio-scheduler-');

/** Two epochs, so successive halving with eta 2 has rungs of 1 and 2 epochs. */
function twoEpochConfig(): RunConfig {
  const config = tinyMnistConfig();
  return { ...config, training: { ...config.training, epochs: 2 }, budget: 2 };
}

function readTrials(dir: string): Trial[] {
  const lines = readFileSync(join(dir, 'trials.jsonl'), 'utf8').split('\n').filter((line) => line !== '');
  return (lines.map((line) => JSON.parse(line)) as Trial[]).sort((a, b) => a.index - b.index);
}

describe('nas-studio search --scheduler', () => {
  const config = (): string => writeConfig(twoEpochConfig());

  it.each<[string, () => string[], RegExp]>([
    ['with --table', () => ['search', '--config', config(), '--out', freshDir(), ...TABLE_FLAGS, '--scheduler', 'hyperband'], /--scheduler hyperband needs training epochs, but --table .*: drop --scheduler or drop --table/],
    ['unknown kind', () => ['search', '--config', config(), '--out', freshDir(), '--scheduler', 'asha'], /--scheduler must be successive-halving or hyperband, got "asha"/],
    ['--eta alone', () => ['search', '--config', config(), '--out', freshDir(), '--eta', '3'], /--eta is only used with --scheduler/],
    ['--eta 1', () => ['search', '--config', config(), '--out', freshDir(), '--scheduler', 'hyperband', '--eta', '1'], /--eta: estimation\.scheduler\.eta must be an integer in \[2, 100\], got 1/],
    ['--min-epochs not a number', () => ['search', '--config', config(), '--out', freshDir(), '--scheduler', 'hyperband', '--min-epochs', 'one'], /--min-epochs must be a whole number, got "one"/],
    ['--min-epochs of full training', () => ['search', '--config', config(), '--out', freshDir(), '--scheduler', 'hyperband', '--min-epochs', '2'], /--min-epochs: .*must be less than training\.epochs \(2\), got 2/],
    ['with --resume', () => ['search', '--resume', freshDir(), '--scheduler', 'hyperband'], /--scheduler cannot be combined with --resume/],
  ])('%s exits 2 naming the flag', async (_case, argv, message) => {
    const result = await runCli(argv());
    expect(result.stderr).toMatch(message);
    expect(result.code).toBe(2);
  });

  it('help lists the scheduler flags', async () => {
    const result = await runCli(['search', '--help']);
    expect(result.stdout).toMatch(/--scheduler KIND/);
    expect(result.stdout).toMatch(/--min-epochs N/);
    expect(result.stdout).toMatch(/--eta N/);
  });

  it('tiny MNIST search promotes one trial', { timeout: 600_000 }, async () => {
    const argv = ['--scheduler', 'successive-halving', '--min-epochs', '1', '--eta', '2'];
    const dir = freshDir();
    const result = await runCli(['search', '--config', config(), '--out', dir, ...argv]);
    expect(result.stderr).not.toMatch(/nas-studio:/);
    expect(result.code).toBe(0);

    const record = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')) as RunRecord;
    expect(record.status).toBe('completed');
    expect(record.config.estimation?.scheduler).toEqual({ kind: 'successive-halving', minEpochs: 1, eta: 2 });
    const trials = readTrials(dir);
    expect(trials.map((trial) => trial.status)).toEqual(['done', 'done']);
    const top = trials.filter((trial) => trial.schedule?.state === 'top');
    const stopped = trials.filter((trial) => trial.schedule?.state === 'stopped');
    expect(top).toHaveLength(1);
    expect(stopped).toHaveLength(1);
    expect(top[0].metrics?.epochs).toBe(2);
    expect(top[0].curve).toHaveLength(2);
    expect(top[0].schedule?.epochsSpent).toBe(2);
    expect(top[0].schedule?.rungAccuracies[0]).toBeGreaterThanOrEqual(stopped[0].schedule?.rungAccuracies[0] as number);
    expect(stopped[0].metrics?.epochs).toBe(1);
    expect(readdirSync(join(dir, 'checkpoints'))).toEqual([]);

    // Interrupted once the first rung is ranked, the promoted trial continues from its checkpoint file.
    const resumedDir = freshDir();
    const stoppedRun = await runCli(['search', '--config', config(), '--out', resumedDir, ...argv], 1);
    expect(stoppedRun.code).toBe(130);
    expect(existsSync(join(resumedDir, 'checkpoints'))).toBe(true);
    const continued = await runCli(['search', '--resume', resumedDir]);
    expect(continued.code).toBe(0);
    const resumedTrials = readTrials(resumedDir);
    expect(resumedTrials.map((trial) => trial.schedule?.restartReason)).toEqual([undefined, undefined]);
    expect(resumedTrials.map((trial) => trial.metrics?.validationAccuracy)).toEqual(trials.map((trial) => trial.metrics?.validationAccuracy));
    expect(resumedTrials.map((trial) => trial.curve)).toEqual(trials.map((trial) => trial.curve));
  });

  it('damaged checkpoint retrains with the reason', { timeout: 600_000 }, async () => {
    const argv = ['--scheduler', 'successive-halving', '--min-epochs', '1', '--eta', '2'];
    const dir = freshDir();
    const stoppedRun = await runCli(['search', '--config', config(), '--out', dir, ...argv], 1);
    expect(stoppedRun.code).toBe(130);
    const bins = readdirSync(join(dir, 'checkpoints')).filter((name) => name.endsWith('.bin'));
    expect(bins.length).toBeGreaterThan(0);
    // NaN bytes of the right size, which a byte-size check alone would accept.
    for (const name of bins) {
      const path = join(dir, 'checkpoints', name);
      writeFileSync(path, new Uint8Array(new Float32Array(readFileSync(path).byteLength / 4).fill(Number.NaN).buffer));
    }

    const continued = await runCli(['search', '--resume', dir]);
    expect(continued.stderr).not.toMatch(/nas-studio:/);
    expect(continued.code).toBe(0);
    const restarted = readTrials(dir).filter((trial) => trial.schedule?.restartReason !== undefined);
    expect(restarted).toHaveLength(1);
    expect(restarted[0].status).toBe('done');
    expect(restarted[0].schedule?.restartReason).toMatch(/could not be used \(the checkpoint file .*checkpoints\/.*\.bin is damaged: weights: tensor 0 contains NaN at element 0\), so rung 1 trained from scratch/);
    expect(restarted[0].schedule?.epochsSpent).toBe(3);
  });
});


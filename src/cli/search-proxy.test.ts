// `nas-studio search` with --proxy: the flags' errors, and a proxy-filtered
// search that trains tiny networks on 64 MNIST images with tfjs's cpu backend.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunRecord, Trial } from '../core/run/types';
import { createTempRoot, runCli } from './searchCli.fixture';
import { tinyMnistConfig } from './tinyMnist.fixture';

const { freshDir, writeConfig } = createTempRoot('nas-studio-proxy-');

function configFile(budget: number): string {
  return writeConfig({ ...tinyMnistConfig(), name: 'proxy filtered', budget, seed: 3 });
}

describe('nas-studio search proxy flags', () => {
  it.each([
    ['--proxy-mode without --proxy', ['--proxy-mode', 'filter'], /--proxy-mode is only used with --proxy/],
    ['--keep-fraction in record mode', ['--proxy', 'snip', '--keep-fraction', '0.5'], /--keep-fraction is only used with --proxy-mode filter/],
    ['an unknown proxy', ['--proxy', 'zen'], /--proxy: estimation\.proxy\.name must be one of synflow, naswot, snip, grad_norm, params, flops, got "zen"/],
    ['an unknown mode', ['--proxy', 'snip', '--proxy-mode', 'rank'], /--proxy-mode: estimation\.proxy\.mode must be "record" or "filter"/],
    ['a keep fraction of 0', ['--proxy', 'snip', '--proxy-mode', 'filter', '--keep-fraction', '0'], /--keep-fraction: estimation\.proxy\.keepFraction must be a number in \(0, 1\]/],
    ['a text keep fraction', ['--proxy', 'snip', '--proxy-mode', 'filter', '--keep-fraction', 'half'], /--keep-fraction must be a number, got "half"/],
  ])('rejects %s', async (_name, flags, message) => {
    const result = await runCli(['search', '--config', configFile(2), '--out', freshDir(), ...flags]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
  });

  // Four trainings of a tiny network take well under a minute on an idle machine; the timeout is for a loaded one.
  it('filters by rank among earlier trials', { timeout: 600_000 }, async () => {
    const out = freshDir();
    const flags = ['--proxy', 'synflow', '--proxy-mode', 'filter', '--keep-fraction', '0.2'];
    const result = await runCli(['search', '--config', configFile(4), '--out', out, ...flags]);
    expect(result.code).toBe(0);

    const record = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')) as RunRecord;
    expect(record.config.estimation?.proxy).toEqual({ name: 'synflow', mode: 'filter', keepFraction: 0.2 });
    const trials = readFileSync(join(out, 'trials.jsonl'), 'utf8')
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as Trial)
      .sort((a, b) => a.index - b.index);
    expect(trials).toHaveLength(4);

    // With one worker, trial i ranks against trials 0..i-1. keepFraction 0.2 of
    // at most 4 scores keeps ceil(0.2 * (i + 1)) = 1 rank: only a new best trains.
    const scores = trials.map((trial) => trial.proxies?.synflow as number);
    for (const score of scores) expect(score).toBeGreaterThan(0);
    trials.forEach((trial, i) => {
      const trains = scores.slice(0, i).every((earlier) => earlier <= scores[i]);
      expect(trial.status, `trial ${i}`).toBe(trains ? 'done' : 'pruned');
      if (!trains) expect(trial.stopReason).toMatch(/^synflow score .* ranks \d of \d+ among the scores seen so far/);
    });
  });
});

import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { RunConfig, Trial } from '../core/run/types';
import { runCli } from './searchCli.fixture';
import { tinyMnistConfig } from './tinyMnist.fixture';

const root = mkdtempSync(join(tmpdir(), 'nas-studio-inheritance-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function readTrials(dir: string): Trial[] {
  return readFileSync(join(dir, 'trials.jsonl'), 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Trial)
    .sort((a, b) => a.index - b.index);
}

describe('nas-studio search with weight inheritance', () => {
  it('evolution children start from their parents', { timeout: 600_000 }, async () => {
    const config: RunConfig = {
      ...tinyMnistConfig(),
      strategy: { name: 'evolution', options: { populationSize: 2, sampleSize: 1, crossoverRate: 0 } },
      budget: 3,
      estimation: { weightInheritance: true },
    };
    const configPath = join(root, 'config.json');
    writeFileSync(configPath, JSON.stringify(config));
    const dir = join(root, 'run');

    const result = await runCli(['search', '--config', configPath, '--out', dir]);
    expect(result.stderr).not.toMatch(/nas-studio:/);
    expect(result.code).toBe(0);

    const trials = readFileSync(join(dir, 'trials.jsonl'), 'utf8')
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as Trial)
      .sort((a, b) => a.index - b.index);
    const child = trials[2];
    expect(child.inheritance?.parentTrialId).toMatch(/-trial-[01]$/);
    expect(child.inheritance?.tensors).toBeGreaterThan(0);
    expect(child.inheritance?.tensors).toBeLessThanOrEqual(child.inheritance?.total as number);
    for (const trial of trials) expect(existsSync(join(dir, 'models', `${trial.id}.bin`))).toBe(true);
  });

  it('damaged parent model gives a note on resume', { timeout: 600_000 }, async () => {
    const config: RunConfig = {
      ...tinyMnistConfig(),
      strategy: { name: 'evolution', options: { populationSize: 2, sampleSize: 1, crossoverRate: 0 } },
      budget: 3,
      estimation: { weightInheritance: true },
    };
    const configPath = join(root, 'config-damaged.json');
    writeFileSync(configPath, JSON.stringify(config));
    const dir = join(root, 'damaged');

    const stopped = await runCli(['search', '--config', configPath, '--out', dir], 2);
    expect(stopped.code).toBe(130);
    const models = readdirSync(join(dir, 'models')).filter((name) => name.endsWith('.bin'));
    expect(models).toHaveLength(2);
    for (const name of models) truncateSync(join(dir, 'models', name), 7);

    const resumed = await runCli(['search', '--resume', dir]);
    expect(resumed.stderr).not.toMatch(/nas-studio:/);
    expect(resumed.code).toBe(0);
    const child = readTrials(dir)[2];
    expect(child.status).toBe('done');
    expect(child.inheritance?.note).toMatch(/could not be used \(the model file .*models\/.*\.bin is damaged: the data ends before tensor .*\), so the trial started from its initial weights/);
    expect(child.inheritance?.tensors).toBeUndefined();
  });
});

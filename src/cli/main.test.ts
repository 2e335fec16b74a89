// Runs bin/nas-studio.js as a child process, as `npx nas-studio` does, to
// check the TypeScript loader, the exit codes and Ctrl-C (SIGINT) handling.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { RunRecord, Trial } from '../core/run/types';
import { tinyMnistConfig } from './tinyMnist.fixture';

const BIN = fileURLToPath(new URL('../../bin/nas-studio.js', import.meta.url));
const root = mkdtempSync(join(tmpdir(), 'nas-studio-bin-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

interface ChildRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Spawns the CLI; `onStderr` receives the stderr text so far and may signal the child. */
function runBin(args: string[], onStderr?: (text: string, kill: (signal: NodeJS.Signals) => void) => void): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      onStderr?.(stderr, (signal) => child.kill(signal));
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('bin/nas-studio.js', () => {
  it('--help exits 0', async () => {
    const result = await runBin(['--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Usage: nas-studio <command>');
  });

  it('no command exits 2 with the usage', async () => {
    const result = await runBin([]);
    expect(result.code).toBe(2);
    expect(result.stdout).toContain('Usage: nas-studio <command>');
  });

  it('unknown flag exits 2 naming it', async () => {
    const result = await runBin(['search', '--budget', '3']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('nas-studio: unknown flag --budget for `search`');
  });

  it('SIGINT cancels training and saves the run', { timeout: 300_000 }, async () => {
    const config = join(root, 'config.json');
    const out = join(root, 'interrupted');
    // Batches of 8 give 8 batches per epoch; training checks for cancellation
    // before each batch, so an interrupt after the first one lands in training.
    const tiny = tinyMnistConfig();
    writeFileSync(config, JSON.stringify({ ...tiny, training: { ...tiny.training, batchSize: 8 } }));

    let sent = false;
    const result = await runBin(['search', '--config', config, '--out', out], (text, kill) => {
      // Interrupt while the first trial trains, so the cancellation path runs.
      if (!sent && text.includes('| trial 0 epoch 1/1')) {
        sent = true;
        kill('SIGINT');
      }
    });
    expect(sent).toBe(true);
    expect(result.stderr).toContain('stopping: cancelling the running trial');
    expect(result.code).toBe(130);

    const record = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')) as RunRecord;
    expect(record.status).toBe('stopped');
    const queue = JSON.parse(readFileSync(join(out, 'queue.json'), 'utf8')) as Trial[];
    expect(queue.map((trial) => [trial.index, trial.status])).toContainEqual([0, 'queued']);
    expect(result.stderr).toContain(`resume with: npx nas-studio search --resume ${out}`);
  });
});

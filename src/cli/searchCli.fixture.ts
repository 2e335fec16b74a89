// Shared setup for the `nas-studio search` tests: a temporary folder removed
// after the file's tests, unique run and config paths inside it, the
// NAS-Bench-201 table flags, and an in-process CLI runner.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll } from 'vitest';
import { main, type CliIo } from './main';

/** The NAS-Bench-201 CIFAR table in the shared data folder. */
export const TABLE = fileURLToPath(new URL('../../../shared/data/nb201/nb201-cifar.csv', import.meta.url));

/** Flags that make `search` read validation and test accuracy from TABLE. */
export const TABLE_FLAGS = ['--table', TABLE, '--signal', 'cifar10_valid_12ep', '--report', 'cifar10_test_200ep'];

/** Exit code and the text the CLI wrote to stdout and stderr. */
export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Temporary folder of one test file, with unique paths inside it. */
export interface TempRoot {
  root: string;
  /** Returns a path for a new run folder, which does not exist yet. */
  freshDir(): string;
  /** Writes `text` to a new config file and returns its path. */
  writeConfigText(text: string): string;
  /** Writes `config` as JSON to a new config file and returns its path. */
  writeConfig(config: unknown): string;
}

/** Creates a temporary folder named after `prefix` and removes it after the calling file's tests. */
export function createTempRoot(prefix: string): TempRoot {
  const root = mkdtempSync(join(tmpdir(), prefix));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  let count = 0;

  const writeConfigText = (text: string): string => {
    count++;
    const path = join(root, `config-${count}.json`);
    writeFileSync(path, text);
    return path;
  };

  return {
    root,
    freshDir() {
      count++;
      return join(root, `run-${count}`);
    },
    writeConfigText,
    writeConfig: (config) => writeConfigText(JSON.stringify(config)),
  };
}

/**
 * Runs the CLI in this process. With `interruptAt`, the interrupt handler is
 * called as soon as stderr shows that many finished trials, as Ctrl-C would.
 */
export async function runCli(argv: string[], interruptAt?: number): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  let interrupt: (() => void) | undefined;
  const io: CliIo = {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: {
      write: (text: string) => {
        stderr += text;
        if (interruptAt !== undefined && text.startsWith(`trials ${interruptAt}/`)) interrupt?.();
      },
    },
    onInterrupt(handler) {
      interrupt = handler;
      return () => (interrupt = undefined);
    },
  };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}

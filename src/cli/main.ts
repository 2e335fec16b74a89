// The `nas-studio` command line: dispatches to a command and turns its
// outcome into an exit code (0 success, 1 failure, 2 bad input, 130 stopped
// by Ctrl-C with the state saved).
import { NasError } from '../core/errors';
import { UsageError } from './args';
import { BENCH_HELP, runBenchCommand } from './bench';
import type { TextStream } from './progress';
import { SEARCH_HELP, runSearchCommand } from './search';

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_BAD_INPUT = 2;
/** 128 + SIGINT (2), the shell convention for a program stopped by Ctrl-C. */
export const EXIT_INTERRUPTED = 130;

/** Output streams and the interrupt source of a command; tests pass their own. */
export interface CliIo {
  stdout: TextStream;
  stderr: TextStream;
  /** Calls `handler` on each interrupt request (SIGINT); returns a function that removes it. */
  onInterrupt(handler: () => void): () => void;
}

const MAIN_HELP = `Usage: nas-studio <command> [flags]

Neural architecture search from the command line.

Commands:
  search   run a search from a run configuration file and write its trials,
           Pareto front and best model to a directory
  bench    benchmark search strategies over many seeds on a NAS-Bench-201
           table and print (or write as JSON) their results
  help     show this help, or \`nas-studio help <command>\` for a command's flags

Run \`nas-studio <command> --help\` for a command's flags.
Exit codes: 0 success, 1 failure, 2 bad input (flag, file or configuration),
130 stopped by Ctrl-C after saving the run state.
`;

const COMMAND_HELP: Record<string, string> = { search: SEARCH_HELP, bench: BENCH_HELP };

/** Returns the process's stdout, stderr and SIGINT; a second SIGINT exits at once with code 130. */
export function processIo(): CliIo {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    onInterrupt(handler) {
      let count = 0;
      const onSignal = (): void => {
        count++;
        if (count === 1) {
          handler();
          return;
        }
        // The first Ctrl-C is still saving; a second one means the user will not wait.
        process.stderr.write('nas-studio: interrupted again, exiting without waiting for the save\n');
        process.exit(EXIT_INTERRUPTED);
      };
      process.on('SIGINT', onSignal);
      return () => process.off('SIGINT', onSignal);
    },
  };
}

/**
 * Returns the exit code of an error that ended a command. NasError
 * 'invalid_config' (a bad flag, file or configuration) and 'not_found' (a
 * missing input file such as the MNIST asset) give 2, for bad input.
 * Any other error gives 1.
 */
export function exitCodeOf(error: unknown): number {
  const badInput = error instanceof NasError && (error.code === 'invalid_config' || error.code === 'not_found');
  return badInput ? EXIT_BAD_INPUT : EXIT_FAILURE;
}

/** Formats an error for stderr: the message, and the cause's message when there is one. */
function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? ` (cause: ${error.cause.message})` : '';
  return `${error.message}${cause}`;
}

/**
 * Runs the CLI with `argv` (the arguments after `nas-studio`) and returns the
 * exit code. Errors are printed to `io.stderr` as `nas-studio: <message>`.
 */
export async function main(argv: string[], io: CliIo = processIo()): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === undefined || command === '--help' || command === '-h') {
      io.stdout.write(MAIN_HELP);
      return command === undefined ? EXIT_BAD_INPUT : EXIT_OK;
    }
    if (command === 'help') {
      const topic = rest[0];
      if (topic === undefined) {
        io.stdout.write(MAIN_HELP);
        return EXIT_OK;
      }
      const help = COMMAND_HELP[topic];
      if (help === undefined) throw new UsageError(topic, `unknown command ${JSON.stringify(topic)}: commands are ${Object.keys(COMMAND_HELP).join(', ')}`);
      io.stdout.write(help);
      return EXIT_OK;
    }
    if (command === 'bench') {
      await runBenchCommand(rest, io);
      return EXIT_OK;
    }
    if (command === 'search') {
      const outcome = await runSearchCommand(rest, io);
      return outcome === 'stopped' ? EXIT_INTERRUPTED : EXIT_OK;
    }
    throw new UsageError(command, `unknown command ${JSON.stringify(command)}: commands are ${Object.keys(COMMAND_HELP).join(', ')}; run \`nas-studio --help\``);
  } catch (error) {
    io.stderr.write(`nas-studio: ${describeError(error)}\n`);
    return exitCodeOf(error);
  }
}

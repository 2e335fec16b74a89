// Flag parsing for the CLI commands, on top of node:util's parseArgs. Every
// mistake (unknown flag, missing value, repeated flag, stray argument) becomes
// a UsageError that names the flag and points at the command's --help.
import { parseArgs } from 'node:util';
import { NasError } from '../core/errors';

/** Bad command-line input; the CLI exits with code 2 and prints the message. */
export class UsageError extends NasError {
  readonly flag: string;

  constructor(flag: string, message: string) {
    super('invalid_config', message);
    this.name = 'UsageError';
    this.flag = flag;
  }
}

/** A flag of a command: string flags take a value, boolean flags do not. */
export interface FlagSpec {
  type: 'string' | 'boolean';
  /** One-letter alias, e.g. 'h' for -h. */
  short?: string;
  /** Value placeholder and meaning for --help, e.g. ['FILE', 'run configuration (JSON)']. */
  help: [string, string];
}

export type FlagSpecs = Record<string, FlagSpec>;

/** Parsed flags: strings for string flags, true for boolean flags that are present. */
export type FlagValues = Record<string, string | true | undefined>;

/**
 * Parses `argv` (the arguments after the command name) against `specs`.
 * @throws UsageError for an unknown flag, a string flag without a value, a
 *   boolean flag with a value, a flag given twice or a positional argument.
 */
export function parseFlags(command: string, argv: string[], specs: FlagSpecs): FlagValues {
  const options = Object.fromEntries(Object.entries(specs).map(([name, spec]) => [name, spec.short === undefined ? { type: spec.type } : { type: spec.type, short: spec.short }]));
  const { tokens } = parseArgs({ args: argv, options, strict: false, allowPositionals: true, tokens: true });
  const helpHint = `run \`nas-studio ${command} --help\` for the flags`;

  const values: FlagValues = {};
  for (const token of tokens) {
    if (token.kind === 'positional') {
      throw new UsageError(token.value, `unexpected argument ${JSON.stringify(token.value)}: flags take the form --name VALUE; ${helpHint}`);
    }
    if (token.kind !== 'option') continue;

    const spec = specs[token.name];
    if (spec === undefined) {
      throw new UsageError(token.rawName, `unknown flag ${token.rawName} for \`${command}\`: ${helpHint}`);
    }
    if (values[token.name] !== undefined) {
      throw new UsageError(token.rawName, `flag ${token.rawName} is given twice: keep one`);
    }
    if (spec.type === 'string') {
      if (token.value === undefined || token.value === '' || (token.inlineValue !== true && token.value.startsWith('--'))) {
        throw new UsageError(token.rawName, `flag ${token.rawName} needs a value: pass ${token.rawName} ${spec.help[0]}`);
      }
      values[token.name] = token.value;
    } else {
      if (token.value !== undefined) {
        throw new UsageError(token.rawName, `flag ${token.rawName} takes no value, got ${JSON.stringify(token.value)}: drop the value`);
      }
      values[token.name] = true;
    }
  }
  return values;
}

/** Formats the flag table of a command's --help. */
export function formatFlags(specs: FlagSpecs): string {
  const rows = Object.entries(specs).map(([name, spec]) => {
    const left = spec.type === 'string' ? `--${name} ${spec.help[0]}` : `--${name}`;
    return [left, spec.help[1]] as const;
  });
  const width = Math.max(...rows.map(([left]) => left.length));
  return rows.map(([left, right]) => `  ${left.padEnd(width)}  ${right}`).join('\n');
}

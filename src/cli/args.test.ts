import { describe, expect, it } from 'vitest';
import { UsageError, parseFlags, type FlagSpecs } from './args';

const SPECS: FlagSpecs = {
  config: { type: 'string', help: ['FILE', 'run configuration'] },
  help: { type: 'boolean', short: 'h', help: ['', 'show help'] },
};

describe('parseFlags', () => {
  it('reads string and boolean flags', () => {
    expect(parseFlags('search', ['--config', 'a.json', '--help'], SPECS)).toEqual({ config: 'a.json', help: true });
    expect(parseFlags('search', ['--config=b.json', '-h'], SPECS)).toEqual({ config: 'b.json', help: true });
  });

  it.each([
    ['unknown flag', ['--confg', 'a.json'], '--confg', /unknown flag --confg/],
    ['missing value at end', ['--config'], '--config', /--config needs a value/],
    ['flag as value', ['--config', '--help'], '--config', /--config needs a value/],
    ['repeated flag', ['--config', 'a', '--config', 'b'], '--config', /given twice/],
    ['boolean with value', ['--help=yes'], '--help', /takes no value/],
    ['stray argument', ['a.json'], 'a.json', /unexpected argument "a.json"/],
  ])('%s is a usage error naming the flag', (_case, argv, flag, message) => {
    let caught: unknown;
    try {
      parseFlags('search', argv, SPECS);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(UsageError);
    expect((caught as UsageError).flag).toBe(flag);
    expect((caught as UsageError).message).toMatch(message);
  });
});

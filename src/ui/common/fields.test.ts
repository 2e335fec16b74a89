import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../core/errors';
import { PRESET_SPACES, validateSpace } from '../../core/space';
import { parseNumber, parseNumberList } from './fields';

function messageOf(action: () => unknown): string {
  try {
    action();
  } catch (error) {
    if (error instanceof ValidationError) return error.message;
    throw error;
  }
  return '';
}

describe('parseNumberList', () => {
  it('parses commas and spaces', () => {
    expect(parseNumberList('2, 3 4,,5')).toEqual([2, 3, 4, 5]);
  });

  it('keeps a non-number token as text', () => {
    expect(parseNumberList('6, x')).toEqual([6, 'x']);
  });

  it('space error quotes the typed token', () => {
    const sequential = PRESET_SPACES.find((preset) => preset.space.family === 'sequential');
    expect(sequential).toBeDefined();
    const space = { ...sequential!.space, depths: parseNumberList('6, x') };
    const message = messageOf(() => validateSpace(space));
    expect(message).toContain('depths[1]');
    expect(message).toContain('got "x"');
  });
});

describe('parseNumber', () => {
  it('returns finite decimals as numbers', () => {
    expect(parseNumber(' 1.5e2 ')).toBe(150);
  });

  it('returns other entries as trimmed text', () => {
    expect(parseNumber(' 0x10 ')).toBe('0x10');
  });
});

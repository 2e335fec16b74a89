import { describe, expect, it } from 'vitest';
import { formatProxyScores } from './proxyScores';

describe('formatProxyScores', () => {
  it('is empty without scores', () => {
    expect(formatProxyScores(undefined)).toBe('');
    expect(formatProxyScores({})).toBe('');
  });

  it('shows 4 significant digits', () => {
    expect(formatProxyScores({ synflow: 123456.7 })).toBe('synflow 1.235e+5');
    expect(formatProxyScores({ naswot: 634.58127 })).toBe('naswot 634.6');
  });

  it('shows counts as integers', () => {
    expect(formatProxyScores({ params: 19710, flops: 1193956 })).toBe('params 19,710, flops 1,193,956');
  });
});

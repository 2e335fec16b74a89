import { describe, expect, it } from 'vitest';
import { ValidationError } from '../errors';
import { defaultRunConfig } from './config';
import { decideProxyFilter, proxyRequest, validateProxyConfig } from './proxy-config';
import { validateEstimation } from './estimation-config';
import type { ProxyRequest, Trial } from './types';

function filter(keepFraction: number, reference: number[]): ProxyRequest {
  return { name: 'synflow', mode: 'filter', keepFraction, reference };
}

function trial(index: number, synflow?: number, toldBefore?: number): Trial {
  return {
    id: `t${index}`,
    runId: 'run',
    index,
    arch: { family: 'sequential', layers: [] },
    hash: `h${index}`,
    seed: index,
    epochs: 1,
    status: 'done',
    curve: [],
    toldBefore,
    ...(synflow === undefined ? {} : { proxies: { synflow } }),
  };
}

describe('validateProxyConfig', () => {
  it('accepts a filter config', () => {
    expect(validateProxyConfig({ name: 'naswot', mode: 'filter', keepFraction: 0.25 })).toEqual({
      name: 'naswot',
      mode: 'filter',
      keepFraction: 0.25,
    });
  });

  it('defaults keepFraction in record mode', () => {
    expect(validateProxyConfig({ name: 'snip', mode: 'record' }).keepFraction).toBe(1);
  });

  it.each([
    [{ name: 'zen', mode: 'record' }, 'estimation.proxy.name'],
    [{ name: 'snip', mode: 'rank' }, 'estimation.proxy.mode'],
    [{ name: 'snip', mode: 'filter' }, 'estimation.proxy.keepFraction'],
    [{ name: 'snip', mode: 'filter', keepFraction: 0 }, 'estimation.proxy.keepFraction'],
    [{ name: 'snip', mode: 'filter', keepFraction: 1.5 }, 'estimation.proxy.keepFraction'],
    [{ name: 'snip', mode: 'record', extra: 1 }, 'estimation.proxy.extra'],
    ['synflow', 'estimation.proxy'],
  ])('rejects %j at %s', (value, field) => {
    let caught: unknown;
    try {
      validateProxyConfig(value);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ValidationError);
    expect((caught as ValidationError).field).toBe(field);
  });

  it('is what validateEstimation applies', () => {
    expect(validateEstimation({ proxy: { name: 'flops', mode: 'record' } })?.proxy?.name).toBe('flops');
    expect(() => validateEstimation({ proxy: { name: 'flops' } })).toThrow(ValidationError);
  });
});

describe('decideProxyFilter', () => {
  it('trains the first candidate', () => {
    expect(decideProxyFilter(filter(0.1, []), 0).train).toBe(true);
  });

  it('keeps the top fraction of n + 1', () => {
    // keepFraction 0.5 of 4 scores: trains at rank ceil(2) = 2 or better.
    expect(decideProxyFilter(filter(0.5, [1, 2, 3]), 2.5).train).toBe(true);
    expect(decideProxyFilter(filter(0.5, [1, 2, 3]), 1.5).train).toBe(false);
  });

  it('counts ties in the candidate favour', () => {
    expect(decideProxyFilter(filter(0.5, [2, 2, 2]), 2).train).toBe(true);
  });

  it('ranks -Infinity and NaN last', () => {
    expect(decideProxyFilter(filter(0.5, [1]), Number.NEGATIVE_INFINITY).train).toBe(false);
    expect(decideProxyFilter(filter(0.5, [1]), Number.NaN).train).toBe(false);
    expect(decideProxyFilter(filter(0.5, [Number.NEGATIVE_INFINITY]), 1).train).toBe(true);
  });

  it('rounds the kept count up', () => {
    // keepFraction 0.9 of 2 scores keeps ceil(1.8) = 2 ranks; of 10 scores, 9.
    expect(decideProxyFilter(filter(0.9, [5]), 1).train).toBe(true);
    expect(decideProxyFilter(filter(0.9, [2, 3, 4, 5, 6, 7, 8, 9, 10]), 1).train).toBe(false);
  });

  it('states rank and fraction in the reason', () => {
    expect(decideProxyFilter(filter(0.25, [5, 6, 7]), 1).reason).toBe(
      'synflow score 1.000 ranks 4 of 4 among the scores seen so far, outside the top 1 (keepFraction 0.25)',
    );
  });

  it('never filters in record mode', () => {
    expect(decideProxyFilter({ ...filter(0.1, [5, 6, 7]), mode: 'record' }, 1).train).toBe(true);
  });
});

describe('proxyRequest', () => {
  it('uses scores of trials told before', () => {
    const config = { ...defaultRunConfig(), estimation: { proxy: { name: 'synflow' as const, mode: 'filter' as const, keepFraction: 0.5 } } };
    const trials = [trial(0, 3), trial(1), trial(2, 1), trial(3, 9), trial(4, 2)];
    const request = proxyRequest(config, trials, trial(5, undefined, 4));
    // Trial 1 has no score; trial 4 was not told when trial 5 was proposed.
    expect(request?.reference).toEqual([3, 1, 9]);
    expect(request?.keepFraction).toBe(0.5);
  });

  it('is undefined without a proxy', () => {
    expect(proxyRequest(defaultRunConfig(), [], trial(0))).toBeUndefined();
  });
});

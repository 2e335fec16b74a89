import { describe, expect, it } from 'vitest';
import { ValidationError } from '../errors';
import type { StrategyConfig } from '../run/types';
import { hashArchitecture, PRESET_SPACES, validateArchitecture } from '../space';
import type { Architecture, SearchSpace } from '../space/types';
import { createStrategy, STRATEGIES, validateStrategyOptions } from './index';
import type { Observation, Strategy } from './types';

const configs: StrategyConfig[] = [
  { name: 'random', options: {} },
  { name: 'evolution', options: { populationSize: 4, sampleSize: 2, crossoverRate: 0.5 } },
];
const cases = PRESET_SPACES.flatMap((preset) => configs.map((config) => [preset.id, config.name, preset.space, config] as const));

/**
 * Asks 2 ahead and tells one per step with an accuracy derived from the
 * hash; when `restoreAt` is reached the strategy is rebuilt from JSON state.
 */
async function proposals(space: SearchSpace, config: StrategyConfig, restoreAt?: number): Promise<string[]> {
  const context = { space, seed: 5, costObjective: 'params' as const };
  let strategy: Strategy = createStrategy(config, context);
  const hashes: string[] = [];
  const pending: Observation[] = [];
  const propose = async (count: number): Promise<void> => {
    for (const arch of await strategy.ask(count)) {
      const hash = hashArchitecture(space, arch);
      const validationAccuracy = (hash.length % 17) / 17;
      pending.push({ index: hashes.length, arch, hash, status: 'done', validationAccuracy, feasible: true });
      hashes.push(hash);
    }
  };
  await propose(2);
  for (let step = 0; step < 12; step++) {
    if (step === restoreAt) {
      strategy = createStrategy(config, context, JSON.parse(JSON.stringify(strategy.getState())));
    }
    await strategy.tell([pending.shift() as Observation]);
    await propose(1);
  }
  return hashes;
}

describe('strategies on preset spaces', () => {
  it.each(cases)('%s with %s is deterministic and restorable', async (_id, _name, space, config) => {
    const first = await proposals(space, config);
    expect(first).toHaveLength(14);
    expect(await proposals(space, config)).toEqual(first);
    expect(await proposals(space, config, 6)).toEqual(first);
  });

  it.each(cases)('%s with %s proposes valid architectures', async (_id, _name, space, config) => {
    const strategy = createStrategy(config, { space, seed: 1, costObjective: 'flops' });
    const archs: Architecture[] = await strategy.ask(6);
    for (const arch of archs) expect(() => validateArchitecture(space, arch)).not.toThrow();
  });
});

describe('validateStrategyOptions', () => {
  it('fills in defaults', () => {
    expect(validateStrategyOptions('evolution', {})).toEqual({ populationSize: 10, sampleSize: 3, crossoverRate: 0 });
    expect(validateStrategyOptions('random', undefined)).toEqual({});
  });

  it.each([
    ['evolution', { populationSize: 1 }, 'strategy.options.populationSize', /must be an integer in \[2, 1000\], got 1: set populationSize to an integer from 2 to 1000$/],
    ['evolution', { populationSize: 4.5 }, 'strategy.options.populationSize', /got 4.5/],
    ['evolution', { crossoverRate: '0.5' }, 'strategy.options.crossoverRate', /must be a number in \[0, 1\], got "0.5"/],
    ['evolution', { sampleSize: 12 }, 'strategy.options.sampleSize', /at most populationSize \(10\), got 12/],
    ['evolution', { tournament: 3 }, 'strategy.options.tournament', /not an option of the evolution strategy/],
    ['random', { populationSize: 3 }, 'strategy.options.populationSize', /options: none/],
    ['annealing', {}, 'strategy.name', /must be one of random, evolution, local, nsga2, bo, bananas, reinforce, got "annealing"/],
    ['evolution', [], 'strategy.options', /must be an object/],
  ])('rejects %s %j naming %s', (name, options, field, message) => {
    let error: unknown;
    try {
      validateStrategyOptions(name, options);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).field).toBe(field);
    expect((error as ValidationError).message).toMatch(message);
  });

  it('gives every option a default within its bounds', () => {
    for (const definition of Object.values(STRATEGIES)) {
      for (const spec of definition.options) {
        expect(typeof spec.default === 'boolean' || spec.default >= (spec.min ?? -Infinity)).toBe(true);
        expect(typeof spec.default === 'boolean' || spec.default <= (spec.max ?? Infinity)).toBe(true);
      }
    }
  });
});

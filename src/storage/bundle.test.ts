import { describe, expect, it } from 'vitest';
import { runBundle } from '../../e2e/fixtures';
import { ValidationError } from '../core/errors';
import { Random } from '../core/random';
import { sampleArchitecture } from '../core/space';
import type { SearchSpace } from '../core/space/types';
import { validateRunBundle } from './bundle';

/** The parts of a bundle these tests change. */
interface TestBundle {
  run: { id: string; config: { space: SearchSpace }; state: { loop: unknown } };
  trials: Record<string, unknown>[];
}

/** Returns the fixture bundle with one queued trial and the loop state pointing at it. */
function bundleWithTrial(): TestBundle {
  const bundle = JSON.parse(runBundle('checked')) as TestBundle;
  const space = bundle.run.config.space;
  bundle.trials = [
    { id: 't0', runId: bundle.run.id, index: 0, arch: sampleArchitecture(space, new Random(1)), hash: 'h0', seed: 1, epochs: 1, status: 'queued', curve: [] },
  ];
  bundle.run.state.loop = { pending: [{ proposal: 0, kind: 'trial', trialIndex: 0 }], proposals: 1, wastedInARow: 0 };
  return bundle;
}

function fieldOfError(bundle: unknown): string {
  try {
    validateRunBundle(bundle);
  } catch (error) {
    if (error instanceof ValidationError) return error.field;
    throw error;
  }
  return 'accepted';
}

describe('validateRunBundle', () => {
  it('accepts a trial and a loop state', () => {
    const bundle = bundleWithTrial();
    expect(validateRunBundle(bundle)).toBe(bundle);
  });

  it.each<[string, (bundle: TestBundle) => void, string]>([
    ['run.state.loop text', (bundle) => (bundle.run.state.loop = 'garbage'), 'run.state.loop'],
    ['pending trial not in the bundle', (bundle) => ((bundle.run.state.loop as { pending: { trialIndex: number }[] }).pending[0].trialIndex = 7), 'run.state.loop.pending[0].trialIndex'],
    ['schedule text', (bundle) => (bundle.trials[0].schedule = 'junk'), 'trials[0].schedule'],
    ['stopReason object', (bundle) => (bundle.trials[0].stopReason = { x: [1, 2] }), 'trials[0].stopReason'],
    ['proxies text score', (bundle) => (bundle.trials[0].proxies = { synflow: 'abc' }), 'trials[0].proxies.synflow'],
    ['inheritance text', (bundle) => (bundle.trials[0].inheritance = 'bogus'), 'trials[0].inheritance'],
    ['negative toldBefore', (bundle) => (bundle.trials[0].toldBefore = -5), 'trials[0].toldBefore'],
  ])('rejects %s', (_case, damage, field) => {
    const bundle = bundleWithTrial();
    damage(bundle);
    expect(fieldOfError(bundle)).toBe(field);
  });
});

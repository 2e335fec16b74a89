// Serialised state of the REINFORCE strategy and its validation on restore:
// controller weights, Adam moments, baseline, generator state, proposed hashes
// and the choices of proposals whose results have not arrived yet.
import { describeValue, ValidationError } from '../errors';
import type { RandomState } from '../random';
import { parameterShapes, type AdamState, type ControllerShape } from './reinforce-controller';
import { readArray, readRandomState, readStateObject } from './state';

/** The choices the controller drew for a proposal whose result has not arrived yet. */
export interface PendingProposal {
  index: number;
  choices: number[];
}

export interface ReinforceState {
  kind: 'reinforce';
  random: RandomState;
  /** Controller parameters in parameterShapes order, each flattened row-major. */
  weights: number[][];
  adam: AdamState;
  /** Moving-average reward baseline, or null before the first accuracy arrives. */
  baseline: number | null;
  /** Architectures returned by ask so far. */
  proposals: number;
  /** Hashes of every proposed architecture, in proposal order. */
  proposed: string[];
  pending: PendingProposal[];
}

function invalid(field: string, value: unknown, rule: string): ValidationError {
  return new ValidationError(field, value, `${field} must be ${rule}, got ${describeValue(value)}: restore the state saved by this strategy with the same space and hiddenSize`);
}

/** Reads arrays of finite numbers whose lengths match the controller's parameter sizes. */
function readParameterArrays(value: unknown, field: string, sizes: number[]): number[][] {
  const arrays = readArray(value, field);
  if (arrays.length !== sizes.length) throw invalid(field, value, `${sizes.length} parameter arrays`);
  return arrays.map((array, p) => {
    const valid = Array.isArray(array) && array.length === sizes[p] && array.every((x) => typeof x === 'number' && Number.isFinite(x));
    if (!valid) throw invalid(`${field}[${p}]`, array, `${sizes[p]} finite numbers`);
    return [...(array as number[])];
  });
}

function readCount(value: unknown, field: string): number {
  if (!Number.isInteger(value) || (value as number) < 0) throw invalid(field, value, 'a non-negative integer');
  return value as number;
}

function readPending(value: unknown, i: number, cardinalities: number[]): PendingProposal {
  const field = `strategyState.pending[${i}]`;
  const entry = value as Partial<PendingProposal> | null;
  const choices = entry?.choices;
  const valid =
    typeof entry === 'object' &&
    entry !== null &&
    Number.isInteger(entry.index) &&
    Array.isArray(choices) &&
    choices.length === cardinalities.length &&
    choices.every((choice, t) => Number.isInteger(choice) && choice >= 0 && choice < cardinalities[t]);
  if (!valid) throw invalid(field, value, `{index, choices} with one option index per decision (${cardinalities.length})`);
  return { index: entry.index as number, choices: [...(choices as number[])] };
}

/**
 * Checks a saved ReinforceState against the controller `shape` and returns a
 * copy. Throws ValidationError naming the first invalid field, e.g. a state
 * saved by another strategy, for another space or with another hiddenSize.
 */
export function readReinforceState(state: unknown, shape: ControllerShape): ReinforceState {
  const saved = readStateObject(state, 'reinforce');
  const sizes = parameterShapes(shape).map((dimensions) => dimensions.reduce((product, d) => product * d, 1));

  const weights = readParameterArrays(saved.weights, 'strategyState.weights', sizes);
  const adamValue = saved.adam as Partial<AdamState> | null;
  if (typeof adamValue !== 'object' || adamValue === null) throw invalid('strategyState.adam', adamValue, '{step, m, v}');
  const adam: AdamState = {
    step: readCount(adamValue.step, 'strategyState.adam.step'),
    m: readParameterArrays(adamValue.m, 'strategyState.adam.m', sizes),
    v: readParameterArrays(adamValue.v, 'strategyState.adam.v', sizes),
  };

  const baseline = saved.baseline;
  if (baseline !== null && !(typeof baseline === 'number' && Number.isFinite(baseline))) {
    throw invalid('strategyState.baseline', baseline, 'a finite number or null');
  }

  return {
    kind: 'reinforce',
    random: readRandomState(saved.random, 'strategyState.random'),
    weights,
    adam,
    baseline,
    proposals: readCount(saved.proposals, 'strategyState.proposals'),
    proposed: readArray(saved.proposed, 'strategyState.proposed').map(String),
    pending: readArray(saved.pending, 'strategyState.pending').map((entry, i) => readPending(entry, i, shape.cardinalities)),
  };
}

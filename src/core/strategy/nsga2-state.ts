// The serialised state of NSGA-II and its validation, so a damaged or
// foreign state fails with an error naming the field instead of resuming a
// wrong search.
import type { RandomState } from '../random';
import type { Architecture } from '../space/types';
import type { Candidate } from './nsga2-selection';
import { invalidStateField, readArray, readCount, readRandomState, readStateObject } from './state';

/** A told architecture in the population, with what selection needs. */
export interface Nsga2Member extends Candidate {
  arch: Architecture;
  hash: string;
}

/** Plain-JSON state of Nsga2. */
export interface Nsga2State {
  kind: 'nsga2';
  random: RandomState;
  /** Hashes of every proposed architecture, in proposal order. */
  proposed: string[];
  /** Proposal indices of random samples that are not told yet. */
  pendingRandom: number[];
  /** The current parents, after the last survival step plus told random samples. */
  population: Nsga2Member[];
  /** Told children waiting for the next survival step, in told order. */
  children: Nsga2Member[];
  /** Survival steps done so far. */
  generations: number;
}

function isNumberOrNull(value: unknown): value is number | null {
  return value === null || typeof value === 'number';
}

function readMember(value: unknown, field: string): Nsga2Member {
  const member = value as Partial<Nsga2Member> | null;
  const valid =
    typeof member === 'object' &&
    member !== null &&
    typeof member.hash === 'string' &&
    typeof member.arch === 'object' &&
    member.arch !== null &&
    Array.isArray(member.objectives) &&
    member.objectives.every(isNumberOrNull) &&
    typeof member.feasible === 'boolean' &&
    isNumberOrNull(member.violation);
  if (!valid) throw invalidStateField(field, value, 'an object {arch, hash, objectives, feasible, violation}');
  return {
    arch: member.arch as Architecture,
    hash: member.hash as string,
    objectives: [...(member.objectives as (number | null)[])],
    feasible: member.feasible as boolean,
    violation: member.violation as number | null,
  };
}

/** Checks a saved state and returns it typed; throws ValidationError naming the first invalid field. */
export function readNsga2State(state: unknown): Nsga2State {
  const saved = readStateObject(state, 'nsga2');
  return {
    kind: 'nsga2',
    random: readRandomState(saved.random, 'strategyState.random'),
    proposed: readArray(saved.proposed, 'strategyState.proposed').map(String),
    pendingRandom: readArray(saved.pendingRandom, 'strategyState.pendingRandom').map((index, i) =>
      readCount(index, `strategyState.pendingRandom[${i}]`),
    ),
    population: readArray(saved.population, 'strategyState.population').map((member, i) =>
      readMember(member, `strategyState.population[${i}]`),
    ),
    children: readArray(saved.children, 'strategyState.children').map((member, i) =>
      readMember(member, `strategyState.children[${i}]`),
    ),
    generations: readCount(saved.generations, 'strategyState.generations'),
  };
}

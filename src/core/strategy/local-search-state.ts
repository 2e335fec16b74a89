// The serialised state of local search and its validation, so a damaged or
// foreign state fails with an error naming the field instead of resuming a
// wrong climb.
import type { RandomState } from '../random';
import type { Architecture } from '../space/types';
import type { ChoiceMarginalsState } from './choice-marginals';
import type { HashedArchitecture } from './sampling';
import { invalidStateField, readArray, readCount, readRandomState, readStateObject } from './state';

/** A told architecture with its fitness (validation accuracy, or null without one). */
export interface ScoredPoint extends HashedArchitecture {
  fitness: number | null;
}

/** Plain-JSON state of LocalSearch. */
export interface LocalSearchState {
  kind: 'local';
  random: RandomState;
  /** Hashes of every proposed architecture, in proposal order. */
  proposed: string[];
  /** [hash, fitness] of every told architecture, in first-told order. */
  told: [string, number | null][];
  /** Proposal indices of random samples that are not told yet. */
  pendingSamples: number[];
  /** Told random samples from which the next climb starts. */
  samples: ScoredPoint[];
  /**
   * The told architecture with the highest fitness (the first told among
   * equals), or null before any scored result. States saved before this
   * field existed read as null.
   */
  best: ScoredPoint | null;
  /** Per-choice fitness statistics for guidedOrder; null reads as none yet (also for older states). */
  marginals: ChoiceMarginalsState | null;
  /** The architecture the climb is at, or null between climbs. */
  current: ScoredPoint | null;
  /** Neighbours of `current` in shuffled proposal order. */
  neighbours: HashedArchitecture[];
  /** Position in `neighbours` of the next candidate to propose. */
  nextNeighbour: number;
  /** Local optima reached so far. */
  restarts: number;
}

function readFitness(value: unknown, field: string): number | null {
  if (value !== null && typeof value !== 'number') throw invalidStateField(field, value, 'a number or null');
  return value;
}

function readHashed(value: unknown, field: string): HashedArchitecture {
  const record = value as { arch?: unknown; hash?: unknown } | null;
  if (typeof record !== 'object' || record === null || typeof record.hash !== 'string' || typeof record.arch !== 'object' || record.arch === null) {
    throw invalidStateField(field, value, 'an object {arch, hash}');
  }
  return { arch: record.arch as Architecture, hash: record.hash };
}

function readScored(value: unknown, field: string): ScoredPoint {
  const point = readHashed(value, field);
  return { ...point, fitness: readFitness((value as { fitness?: unknown }).fitness, `${field}.fitness`) };
}

function readMarginals(value: unknown): ChoiceMarginalsState {
  const record = value as { sums?: unknown; counts?: unknown };
  if (typeof value !== 'object' || value === null) throw invalidStateField('strategyState.marginals', value, 'an object {sums, counts}');
  const numbers = (field: 'sums' | 'counts'): number[] =>
    readArray(record[field], `strategyState.marginals.${field}`).map((entry, i) => {
      if (typeof entry !== 'number' || !Number.isFinite(entry)) {
        throw invalidStateField(`strategyState.marginals.${field}[${i}]`, entry, 'a finite number');
      }
      return entry;
    });
  return { sums: numbers('sums'), counts: numbers('counts') };
}

/** Checks a saved state and returns it typed; throws ValidationError naming the first invalid field. */
export function readLocalSearchState(state: unknown): LocalSearchState {
  const saved = readStateObject(state, 'local');
  const told = readArray(saved.told, 'strategyState.told').map((entry, i): [string, number | null] => {
    const field = `strategyState.told[${i}]`;
    if (!Array.isArray(entry) || entry.length !== 2 || typeof entry[0] !== 'string') {
      throw invalidStateField(field, entry, 'a pair [hash, fitness]');
    }
    return [entry[0], readFitness(entry[1], `${field}[1]`)];
  });
  const neighbours = readArray(saved.neighbours, 'strategyState.neighbours');

  return {
    kind: 'local',
    random: readRandomState(saved.random, 'strategyState.random'),
    proposed: readArray(saved.proposed, 'strategyState.proposed').map(String),
    told,
    pendingSamples: readArray(saved.pendingSamples, 'strategyState.pendingSamples').map((index, i) =>
      readCount(index, `strategyState.pendingSamples[${i}]`),
    ),
    samples: readArray(saved.samples, 'strategyState.samples').map((point, i) =>
      readScored(point, `strategyState.samples[${i}]`),
    ),
    best: saved.best === undefined || saved.best === null ? null : readScored(saved.best, 'strategyState.best'),
    marginals: saved.marginals === undefined || saved.marginals === null ? null : readMarginals(saved.marginals),
    current: saved.current === null ? null : readScored(saved.current, 'strategyState.current'),
    neighbours: neighbours.map((neighbour, i) => readHashed(neighbour, `strategyState.neighbours[${i}]`)),
    nextNeighbour: readCount(saved.nextNeighbour, 'strategyState.nextNeighbour'),
    restarts: readCount(saved.restarts, 'strategyState.restarts'),
  };
}

// Small pieces of the analytic cost model shared by every family.
import type { ArchitectureCost } from './types';

/** Returns a zero cost to accumulate into. */
export function emptyCost(): ArchitectureCost {
  return { params: 0, flops: 0, activationBytes: 0 };
}

/** Adds `part` into `total` in place. */
export function addCost(total: ArchitectureCost, part: ArchitectureCost): void {
  total.params += part.params;
  total.flops += part.flops;
  total.activationBytes += part.activationBytes;
}

/**
 * Computes the cost of the shared head after a feature map of `channels`
 * channels: GlobalAveragePooling2D, then Dense(numClasses, softmax) with bias.
 */
export function denseHeadCost(channels: number, numClasses: number): ArchitectureCost {
  return {
    params: channels * numClasses + numClasses,
    flops: channels * numClasses,
    activationBytes: 4 * (channels + numClasses),
  };
}

/** A search state of minimizeOverKeys: a channel count and the cost so far. */
export interface KeyedCost {
  key: number;
  cost: number;
}

/**
 * Minimises a cost over a layered choice graph whose state is one number
 * (a channel count), from the `start` states through `layers` steps.
 * `step(key, layer)` lists the successor states and the cost of each move. The cost still to come must never decrease as the
 * key grows: that lets the search drop every state that has a larger (or
 * equal) key and no smaller cost than another, and stay exact.
 */
export function minimizeOverKeys(
  start: KeyedCost[],
  layers: number,
  step: (key: number, layer: number) => KeyedCost[],
): KeyedCost[] {
  let states = paretoByKey(start.slice());
  for (let layer = 0; layer < layers; layer++) {
    const next: KeyedCost[] = [];
    for (const state of states) {
      for (const move of step(state.key, layer)) next.push({ key: move.key, cost: state.cost + move.cost });
    }
    states = paretoByKey(next);
  }
  return states;
}

/** Keeps the states that no state with a smaller or equal key and a lower or equal cost beats; sorts `states` in place. */
export function paretoByKey(states: KeyedCost[]): KeyedCost[] {
  states.sort((x, y) => x.key - y.key || x.cost - y.cost);
  const kept: KeyedCost[] = [];
  for (const state of states) {
    if (kept.length === 0 || state.cost < kept[kept.length - 1].cost) kept.push(state);
  }
  return kept;
}

// Exact minimum params and FLOPs over a sequential space, by dynamic
// programming over channel counts instead of enumerating architectures.
import { ValidationError } from '../errors';
import { denseHeadCost, minimizeOverKeys } from './cost-common';
import { isConvOp, layerAreas, searchedLayerCost } from './sequential-cost';
import type { InputSpec, SequentialSpace } from './types';
import { validateInput } from './validate';

type Objective = 'params' | 'flops';

/**
 * Computes the smallest params and the smallest FLOPs of any architecture of
 * the space for `input`, each minimised on its own (two architectures may reach
 * them). Every layer's cost grows with its input channels, so:
 * - skip: a skip source only adds input channels, hence the minimum is that
 *   of the same space without skip sources;
 * - sequential: the state is the channel count of the previous output;
 * - dense: the state is the channel count of the concatenation the next
 *   layer reads (stem plus all outputs so far).
 * Depths whose max pools would shrink the input below 1x1 are left out.
 * Throws ValidationError when no depth fits the input.
 */
export function minimumSequentialCost(space: SequentialSpace, input: InputSpec): { params: number; flops: number } {
  validateInput(input);
  return { params: minimize(space, input, 'params'), flops: minimize(space, input, 'flops') };
}

function minimize(space: SequentialSpace, input: InputSpec, objective: Objective): number {
  const [height, width, inputChannels] = input.inputShape;
  const stem = space.stemChannels;
  const stemCost = objective === 'params' ? 9 * inputChannels * stem + stem : height * width * 9 * inputChannels * stem;
  const choices = space.ops.flatMap((op) =>
    isConvOp(op)
      ? space.widths.map((layerWidth) => ({ op, width: layerWidth as number | null }))
      : [{ op, width: null as number | null }],
  );

  let best = Infinity;
  for (const depth of space.depths) {
    const sizes = layerAreas(space, depth, input);
    if (sizes === null) continue;
    const finals = minimizeOverKeys([{ key: stem, cost: 0 }], depth, (key, layer) =>
      choices.map((choice) => {
        const cost = searchedLayerCost(choice, key, sizes.areas[layer]);
        const isLast = layer === depth - 1;
        // Dense layers pass on the growing concatenation; the last layer's
        // own output is what the head reads.
        const nextKey = space.connectivity === 'dense' && !isLast ? key + cost.outChannels : cost.outChannels;
        return { key: nextKey, cost: cost[objective] };
      }),
    );
    for (const state of finals) {
      best = Math.min(best, stemCost + state.cost + denseHeadCost(state.key, input.numClasses)[objective]);
    }
  }
  if (!Number.isFinite(best)) {
    throw new ValidationError(
      'downsampleAfter',
      space.downsampleAfter,
      `every depth of the space shrinks the ${height}x${width} input below 1x1 with its max pools: remove indices from downsampleAfter`,
    );
  }
  return best;
}

// Turns an architecture of any space family into a tfjs LayersModel made of
// stock layers only, so plain tf.loadLayersModel reads its export. Layer
// names are deterministic and every initialiser is seeded from `seed`.
import * as tf from '@tensorflow/tfjs';
import type { Architecture, InputSpec, SearchSpace } from '../core/space/types';
import { ValidationError } from '../core/errors';
import { blockChannels, canonicalArchitecture } from '../core/space';
import { GraphBuilder } from './build/layers';
import { buildSequential } from './build/sequential';
import { buildCellNetwork } from './build/cell';
import { buildStagesNetwork } from './build/stages';

/**
 * Builds the model of `arch` in `space` for `input`: it maps
 * [batch, ...input.inputShape] to class probabilities [batch, input.numClasses].
 * It builds the canonical form of `arch`, as architectureCost measures it,
 * so architectures with equal hashes get equal models. `arch` must already
 * be valid for `space` (validateArchitecture); the same arguments always
 * give the same layers and initial weights.
 * The caller owns the model and must dispose() it.
 * Throws ValidationError when the families of space and arch differ.
 */
export function buildModel(space: SearchSpace, arch: Architecture, input: InputSpec, seed: number): tf.LayersModel {
  if (space.family !== arch.family) {
    throw new ValidationError(
      'arch.family',
      arch.family,
      `arch.family must match the space family "${space.family}", got "${arch.family}"`,
    );
  }
  const canonical = canonicalArchitecture(space, arch);
  const builder = new GraphBuilder(seed);
  const inputNode = tf.input({ shape: input.inputShape, name: 'input' });
  const output = buildOutput(builder, space, canonical, inputNode, input.numClasses);
  return tf.model({ inputs: inputNode, outputs: output, name: `${space.family}_model` });
}

function buildOutput(
  builder: GraphBuilder,
  space: SearchSpace,
  arch: Architecture,
  input: tf.SymbolicTensor,
  numClasses: number,
): tf.SymbolicTensor {
  if (space.family === 'sequential' && arch.family === 'sequential') {
    return buildSequential(builder, space, arch, input, numClasses);
  }
  if (space.family === 'cell' && arch.family === 'cell') {
    return buildCellNetwork(builder, space, arch, input, numClasses);
  }
  if (space.family === 'stages' && arch.family === 'stages') {
    return buildStagesNetwork(builder, space, arch, input, numClasses, blockChannels);
  }
  throw new Error('unreachable: families were checked equal');
}

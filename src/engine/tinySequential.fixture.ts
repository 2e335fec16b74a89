// Tiny sequential networks for engine and worker tests on 28x28x1 MNIST
// images: 4-channel 3x3 convolutions, so a candidate trains in seconds on the
// cpu backend, and an evaluation request around the one-layer network.
import type { EvaluationRequest } from '../core/run/types';
import type { SequentialArch, SequentialSpace } from '../core/space/types';

/** MNIST input: 28x28 grey images in 10 classes. */
export const MNIST_INPUT = { inputShape: [28, 28, 1] as [number, number, number], numClasses: 10 };

/** Space of one layer: a 4-channel 3x3 convolution or a 3x3 max pool. */
export const ONE_LAYER_SPACE: SequentialSpace = {
  family: 'sequential',
  name: 'tiny',
  depths: [1],
  ops: ['conv3x3', 'maxpool3x3'],
  widths: [4],
  connectivity: 'sequential',
  stemChannels: 4,
  downsampleAfter: [0],
};

/** One 4-channel 3x3 convolution, a member of ONE_LAYER_SPACE. */
export const ONE_CONV_ARCH: SequentialArch = { family: 'sequential', layers: [{ op: 'conv3x3', width: 4, skipFrom: null }] };

/** Space of two layers, each a 4-channel 3x3 convolution or a 3x3 max pool. */
export const TWO_LAYER_SPACE: SequentialSpace = { ...ONE_LAYER_SPACE, depths: [2] };

/** Two 4-channel 3x3 convolutions, a member of TWO_LAYER_SPACE. */
export const TWO_CONV_ARCH: SequentialArch = {
  family: 'sequential',
  layers: [
    { op: 'conv3x3', width: 4, skipFrom: null },
    { op: 'conv3x3', width: 4, skipFrom: null },
  ],
};

/**
 * Builds a request to train ONE_CONV_ARCH for one epoch with Adam on 8
 * training images, seed 3; `overrides` replaces whole fields.
 */
export function oneConvRequest(trialId: string, overrides: Partial<EvaluationRequest> = {}): EvaluationRequest {
  return {
    trialId,
    arch: ONE_CONV_ARCH,
    space: ONE_LAYER_SPACE,
    seed: 3,
    input: { inputShape: [28, 28, 1], numClasses: 10 },
    dataset: { name: 'mnist', trainSize: 8, validationSize: 8, testSize: 8 },
    training: { epochs: 1, batchSize: 8, optimizer: 'adam', learningRate: 0.01, momentum: 0, schedule: 'constant', patience: 0 },
    constraints: {},
    ...overrides,
  };
}

/**
 * Builds oneConvRequest's request with 20 training images in batches of 10
 * and seed 1, the size the trainer-worker tests in Chromium use.
 */
export function oneConvWorkerRequest(trialId: string, overrides: Partial<EvaluationRequest> = {}): EvaluationRequest {
  return oneConvRequest(trialId, {
    seed: 1,
    dataset: { name: 'mnist', trainSize: 20, validationSize: 10, testSize: 10 },
    training: { epochs: 1, batchSize: 10, optimizer: 'adam', learningRate: 0.01, momentum: 0, schedule: 'constant', patience: 0 },
    ...overrides,
  });
}

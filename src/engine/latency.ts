// Measures inference latency of a model at batch 1 on the active backend.
import * as tf from '@tensorflow/tfjs';
import type { LatencyStats } from '../core/run/types';
import { quantile } from '../core/bench/statistics';
import { ValidationError } from '../core/errors';

export interface LatencyOptions {
  /** Untimed runs first, so shader compilation and allocation are not measured. Default 5. */
  warmup?: number;
  /** Timed runs. Default 30. */
  runs?: number;
}

/**
 * Times `runs` forward passes of one zero image of `inputShape`
 * ([height, width, channels]) after `warmup` untimed passes. Each timing
 * stops after the output's awaited data() read, so asynchronous GPU work
 * is included. Returns the median and 90th percentile in milliseconds.
 * Throws ValidationError when runs is not a positive integer or warmup is negative.
 */
export async function measureLatency(
  model: tf.LayersModel,
  inputShape: readonly number[],
  { warmup = 5, runs = 30 }: LatencyOptions = {},
): Promise<LatencyStats> {
  if (!Number.isInteger(runs) || runs < 1) {
    throw new ValidationError('latencyRuns', runs, `latency runs must be a positive integer, got ${runs}`);
  }
  if (!Number.isInteger(warmup) || warmup < 0) {
    throw new ValidationError('warmup', warmup, `latency warm-up runs must be a non-negative integer, got ${warmup}`);
  }

  const input = tf.zeros([1, ...inputShape]);
  const times: number[] = [];
  try {
    for (let i = 0; i < warmup + runs; i++) {
      const start = performance.now();
      const output = model.predict(input) as tf.Tensor;
      await output.data();
      const elapsed = performance.now() - start;
      output.dispose();
      if (i >= warmup) times.push(elapsed);
    }
  } finally {
    input.dispose();
  }

  return { medianMs: quantile(times, 0.5), p90Ms: quantile(times, 0.9), runs };
}

// Evaluation requests of the run loop: a trial's request contains the run's
// training settings plus the rung, weight-inheritance, learning-curve stop
// and zero-cost proxy fields that the run's estimation config turns on.
import { curveStopRequest } from '../estimation/run-estimation';
import type { InputSpec } from '../space/types';
import type { WeightInheritance } from './inheritance';
import { proxyRequest } from './proxy-config';
import type { ScheduledTrials } from './scheduled-trials';
import type { EvaluationRequest, RunConfig, Trial } from './types';

/**
 * Builds the request that evaluates `trial`. `trials` are all the run's
 * trials, from which the curve stop and the proxy settings are derived.
 */
export async function buildEvaluationRequest(
  config: RunConfig,
  input: InputSpec,
  trials: Map<number, Trial>,
  trial: Trial,
  rungs: ScheduledTrials | undefined,
  inheritance: WeightInheritance | undefined,
): Promise<EvaluationRequest> {
  const curveStop = curveStopRequest(config, trials.values(), trial);
  const proxy = proxyRequest(config, trials.values(), trial);
  const rungFields = await rungs?.requestFields(trial);
  const inheritFrom = await inheritance?.parentModel(trial);
  return {
    trialId: trial.id,
    arch: trial.arch,
    space: config.space,
    seed: trial.seed,
    input,
    dataset: config.dataset,
    training: config.training,
    constraints: config.constraints,
    ...rungFields,
    ...(inheritFrom === undefined ? {} : { inheritFrom }),
    ...(curveStop === undefined ? {} : { curveStop }),
    ...(proxy === undefined ? {} : { proxy }),
  };
}

import { describe, expect, it } from 'vitest';
import { PRESET_SPACES } from '../space';
import type { SearchSpace } from '../space/types';
import { defaultRunConfig } from '../run/config';
import { FakeEvaluator, MemoryStore, newRecord, trialSummary } from '../run/fakes.fixture';
import { runSearch } from '../run/loop';
import type { CurveStopRequest, EvaluationRequest, EvaluationResult, EstimationConfig, RunConfig, RunRecord, Trial } from '../run/types';
import { quantile } from '../bench/statistics';
import { trialsKnownBefore } from './run-estimation';

const cellPreset = PRESET_SPACES.map((preset) => preset.space).find((space) => space.family === 'cell') as SearchSpace;

function config(estimation: EstimationConfig, workers: number): RunConfig {
  return { ...defaultRunConfig(cellPreset, 3), budget: 16, workers, estimation };
}

/** A FakeEvaluator that also records the curve-stop request of every trial. */
class RecordingEvaluator extends FakeEvaluator {
  readonly curveStops = new Map<string, CurveStopRequest | undefined>();

  override async evaluate(request: EvaluationRequest, signal: AbortSignal): Promise<EvaluationResult> {
    this.curveStops.set(request.trialId, request.curveStop);
    return super.evaluate(request, signal);
  }
}

async function run(runConfig: RunConfig, delaySeed: number): Promise<{ trials: Trial[]; evaluator: RecordingEvaluator }> {
  const store = new MemoryStore();
  const evaluator = new RecordingEvaluator({ concurrency: runConfig.workers, delaySeed });
  await runSearch({ record: newRecord(runConfig), trials: [], evaluator, store, signal: new AbortController().signal });
  return { trials: store.trialsOf('run'), evaluator };
}

/** Runs to the end, stopping the run after each given count of events and resuming it from the store. */
async function runWithStops(runConfig: RunConfig, stopsAfterEvents: number[]): Promise<Trial[]> {
  const store = new MemoryStore();
  await store.saveRun(newRecord(runConfig));
  for (const stopAfter of [...stopsAfterEvents, Number.POSITIVE_INFINITY]) {
    const controller = new AbortController();
    let count = 0;
    await runSearch({
      record: store.runs.get('run') as RunRecord,
      trials: store.trialsOf('run'),
      evaluator: new FakeEvaluator({ concurrency: runConfig.workers, delaySeed: stopAfter % 7 }),
      store,
      signal: controller.signal,
      onEvent: () => {
        count++;
        if (count === stopAfter) controller.abort();
      },
    });
  }
  return store.trialsOf('run');
}

function doneTrial(index: number, accuracy: number): Trial {
  return {
    index,
    status: 'done',
    metrics: { validationAccuracy: accuracy },
  } as unknown as Trial;
}

describe('quantile', () => {
  it('interpolates between sorted values', () => {
    expect(quantile([4, 1, 3, 2], 0)).toBe(1);
    expect(quantile([4, 1, 3, 2], 1)).toBe(4);
    expect(quantile([4, 1, 3, 2], 0.5)).toBe(2.5);
  });
});

describe('trialsKnownBefore', () => {
  const trials = [doneTrial(0, 0.5), { ...doneTrial(1, 0.7), status: 'failed' } as Trial, doneTrial(2, 0.9), doneTrial(3, 0.8)];

  it('uses toldBefore when set', () => {
    const known = trialsKnownBefore(trials, { index: 5, toldBefore: 3 } as Trial, 4);
    expect(known.map((trial) => trial.index)).toEqual([0, 2]);
  });

  it('falls back to the worker window', () => {
    const known = trialsKnownBefore(trials, { index: 5 } as Trial, 2);
    expect(known.map((trial) => trial.index)).toEqual([0, 2, 3]);
  });
});

describe('predictor filter in a run', () => {
  const filter: EstimationConfig = { predictorFilter: { model: 'trees', minTrials: 4, keepFraction: 0.5 } };

  it('prunes some candidates without training them', async () => {
    const { trials, evaluator } = await run(config(filter, 2), 1);
    const pruned = trials.filter((trial) => trial.status === 'pruned');
    expect(trials).toHaveLength(16);
    expect(pruned.length).toBeGreaterThan(0);
    for (const trial of pruned) {
      expect(trial.stopReason).toMatch(/^predictor filter: predicted \d+\.\d% below \d+\.\d%/);
      expect(trial.predictedAccuracy).toBeGreaterThanOrEqual(0);
      expect(evaluator.evaluated).not.toContain(trial.hash);
      expect(trial.curve).toEqual([]);
    }
    expect(evaluator.evaluated).toHaveLength(16 - pruned.length);
  });

  it('decides the same with different timing', async () => {
    const first = await run(config(filter, 3), 1);
    const second = await run(config(filter, 3), 2);
    expect(second.trials.map(trialSummary)).toEqual(first.trials.map(trialSummary));
  });

  it('decides the same after stops and resumes', async () => {
    const uninterrupted = await run(config(filter, 2), 1);
    const resumed = await runWithStops(config(filter, 2), [15, 40, 70]);
    expect(resumed.map(trialSummary)).toEqual(uninterrupted.trials.map(trialSummary));
    expect(resumed.map((trial) => trial.stopReason)).toEqual(uninterrupted.trials.map((trial) => trial.stopReason));
  });

  it('never prunes with keepFraction 1', async () => {
    const { trials } = await run(config({ predictorFilter: { model: 'gp', minTrials: 2, keepFraction: 1 } }, 2), 1);
    expect(trials.filter((trial) => trial.status === 'pruned')).toEqual([]);
  });
});

describe('curve stop in a run', () => {
  const curveStop: EstimationConfig = { curveStop: { kthBest: 2, probability: 0.9, minEpochs: 2 } };

  it('sends the k-th best of the trials told before', async () => {
    const { trials, evaluator } = await run(config(curveStop, 2), 3);
    for (const trial of trials) {
      const told = trials
        .filter((other) => other.index < (trial.toldBefore as number) && other.status === 'done')
        .map((other) => other.metrics?.validationAccuracy as number)
        .sort((a, b) => b - a);
      const request = evaluator.curveStops.get(trial.id);
      if (told.length < 2) {
        expect(request).toBeUndefined();
      } else {
        expect(request).toEqual({ kthBest: 2, probability: 0.9, minEpochs: 2, threshold: told[1] });
      }
    }
    expect([...evaluator.curveStops.values()].some((request) => request !== undefined)).toBe(true);
  });

  it('sends the same thresholds with different timing', async () => {
    const first = await run(config(curveStop, 3), 4);
    const second = await run(config(curveStop, 3), 5);
    const thresholds = (session: { evaluator: RecordingEvaluator }): [string, number | undefined][] =>
      [...session.evaluator.curveStops.entries()].map(([id, request]) => [id, request?.threshold] as [string, number | undefined]).sort();
    expect(thresholds(second)).toEqual(thresholds(first));
  });
});

// Test-only trainer worker without tfjs, driven by the trial id prefix.
// 'crash' throws an uncaught error, 'hang' never returns, 'throw' rejects
// with a plain error and 'oom' fails with an allocation error. 'fallback'
// resolves 'done' with metrics of a trial that moved from cpu to wasm. Any
// other id reports progress and resolves 'done' after `request.seed` milliseconds.
import * as Comlink from 'comlink';
import type { EvaluationResult, TrialMetrics } from '../../core/run/types';
import type { TrainerApi } from '../protocol';

const api: TrainerApi = {
  async init(options) {
    if (options.dataUrl.includes('missing')) {
      throw { code: 'internal', message: `fetching the dataset ${options.dataUrl} failed with HTTP 404` };
    }
    return { backend: 'cpu', device: 'stub worker' };
  },

  async evaluate(request, onProgress): Promise<EvaluationResult> {
    if (request.trialId.startsWith('crash')) {
      setTimeout(() => {
        throw new Error('simulated crash during evaluation');
      }, 0);
      return new Promise<never>(() => undefined);
    }
    if (request.trialId.startsWith('hang')) {
      return new Promise<never>(() => undefined);
    }
    if (request.trialId.startsWith('throw')) {
      throw { code: 'internal', message: 'simulated failure inside evaluate' };
    }

    if (request.trialId.startsWith('oom')) {
      return { status: 'failed', curve: [], error: { code: 'internal', message: 'RangeError: Array buffer allocation failed' } };
    }

    const curve = [{ epoch: 0, loss: 1, trainAccuracy: 0.5, validationAccuracy: 0.5 }];
    if (request.trialId.startsWith('fallback')) {
      const metrics: TrialMetrics = {
        validationAccuracy: 0.5,
        testAccuracy: 0.5,
        params: 1,
        flops: 1,
        latency: { medianMs: 1, p90Ms: 1, runs: 1 },
        trainMs: 1,
        epochs: 1,
        backend: 'wasm',
        device: 'stub worker',
        feasible: true,
        backendFallback: { from: 'cpu', to: 'wasm', reason: "Kernel 'Conv2D' not registered for backend 'cpu'" },
      };
      return { status: 'done', curve, metrics };
    }
    await onProgress({ trialId: request.trialId, epoch: 0, fraction: 1, curve });
    await new Promise((resolve) => setTimeout(resolve, request.seed));
    return { status: 'done', curve };
  },
};

Comlink.expose(api);

// The training backend of one worker or process over a run: chosen once (by
// the probe for 'auto'), then switched to the next backend that passed the
// probe when training fails on the one in use.
import { NasError, type PlainError } from '../core/errors';
import { createLogger } from '../core/log';
import type { BackendFallback, BackendName, BackendProbe, EvaluationRequest, EvaluationResult } from '../core/run/types';
import { initBackend, trySetBackend } from './backend';
import { evaluateCandidate, type EvaluationData, type EvaluationOptions } from './evaluate';
import { passedBackendsBySpeed, probeBackends, type ProbeOptions } from './probe';

const log = createLogger('engine');

/** Backends the probe tries for 'auto': webgpu, webgl, wasm and cpu in a browser, cpu and wasm in Node. */
export function defaultProbeBackends(): BackendName[] {
  const inNode = typeof process !== 'undefined' && process.versions?.node !== undefined;
  return inNode ? ['cpu', 'wasm'] : ['webgpu', 'webgl', 'wasm', 'cpu'];
}

export interface BackendSessionOptions {
  /** Backends to probe for 'auto'; default defaultProbeBackends(). */
  probeBackends?: BackendName[];
  probe?: ProbeOptions;
}

/**
 * Owns the choice of the training backend. With 'auto' it probes the
 * backends and falls back, fastest first, through those that passed. With an
 * explicit backend it uses initBackend's choice and never switches.
 */
export class BackendSession {
  private order: BackendName[];
  private fallback: BackendFallback | undefined;

  private constructor(
    /** The probe behind an 'auto' choice; undefined for an explicit backend. */
    readonly probe: BackendProbe | undefined,
    active: BackendName,
    order: BackendName[],
  ) {
    this.order = [active, ...order.filter((name) => name !== active)];
  }

  /**
   * Initialises the backend for `preference` and leaves it active.
   * Throws NasError('internal') when no backend can be initialised or, for
   * 'auto', none passed the probe.
   */
  static async create(preference: 'auto' | BackendName, options: BackendSessionOptions = {}): Promise<BackendSession> {
    if (preference !== 'auto') {
      return new BackendSession(undefined, await initBackend(preference), []);
    }
    const probe = await probeBackends(options.probeBackends ?? defaultProbeBackends(), options.probe);
    return new BackendSession(probe, probe.chosen, passedBackendsBySpeed(probe));
  }

  /**
   * Builds a session from an earlier probe without probing again and
   * activates its choice. Throws NasError('internal') when that backend
   * cannot be initialised.
   */
  static async fromProbe(probe: BackendProbe): Promise<BackendSession> {
    if (!(await trySetBackend(probe.chosen))) {
      throw new NasError('internal', `backend ${probe.chosen} chosen by the probe could not be initialised`);
    }
    return new BackendSession(probe, probe.chosen, passedBackendsBySpeed(probe));
  }

  /** The backend that trains the next candidate. */
  get active(): BackendName {
    return this.order[0];
  }

  /** The switch made after a failure, once one was made. */
  get lastFallback(): BackendFallback | undefined {
    return this.fallback;
  }

  /**
   * Evaluates `request` on the active backend. When it fails with an
   * unexpected error (code 'internal', such as a missing kernel or a lost
   * device) and another probed backend passed, the candidate is trained
   * again there. If that succeeds, the session stays on the new backend and
   * the trial's metrics carry `backendFallback`. If it fails too, the
   * failure was the candidate's, so the session returns to the first backend
   * and returns the first failure.
   * Rejects only with NasError('cancelled'), as evaluateCandidate does.
   */
  async evaluate(
    request: EvaluationRequest,
    data: EvaluationData,
    options: Omit<EvaluationOptions, 'backend'>,
  ): Promise<EvaluationResult> {
    const first = await evaluateCandidate(request, data, { ...options, backend: this.active });
    if (!(first.status === 'failed' && isBackendFailure(first.error))) return this.annotate(first);

    const from = this.active;
    for (const to of this.order.slice(1)) {
      if (!(await trySetBackend(to))) continue;
      log.warn(`trial ${request.trialId} failed on ${from} (${first.error.message}), so it is trained again on ${to}`);
      const retried = await evaluateCandidate(request, data, { ...options, backend: to });
      if (retried.status === 'failed') {
        log.warn(`trial ${request.trialId} failed on ${to} as well, so ${from} stays the training backend`);
        await trySetBackend(from);
        return this.annotate(first);
      }
      this.order = this.order.filter((name) => name !== from && name !== to);
      this.order.unshift(to);
      this.fallback = { from, to, reason: first.error.message };
      return this.annotate(retried);
    }
    await trySetBackend(from);
    return this.annotate(first);
  }

  private annotate(result: EvaluationResult): EvaluationResult {
    if (result.metrics === undefined) return result;
    const metrics = { ...result.metrics };
    if (this.probe !== undefined) metrics.backendProbe = this.probe;
    if (this.fallback !== undefined) metrics.backendFallback = this.fallback;
    return { ...result, metrics };
  }
}

/**
 * True for errors that come from the backend rather than the candidate:
 * evaluateCandidate reports the candidate's own problems (invalid config,
 * divergence) with other codes, and wraps anything thrown by tfjs as 'internal'.
 */
function isBackendFailure(error: PlainError | undefined): error is PlainError {
  return error !== undefined && error.code === 'internal';
}

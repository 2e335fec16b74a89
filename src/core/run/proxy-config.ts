// The zero-cost proxy setting of a run: validation of `estimation.proxy`,
// the request the run loop sends with each trial, and the filter rule that
// decides from the proxy score whether a candidate trains.
import { describeValue, ValidationError } from '../errors';
import type { ProxyConfig, ProxyName, ProxyRequest, RunConfig, Trial } from './types';

/** Every proxy the engine computes, in the order the UI and CLI list them. */
export const PROXY_NAMES: readonly ProxyName[] = ['synflow', 'naswot', 'snip', 'grad_norm', 'params', 'flops'];

const MODES: readonly ProxyConfig['mode'][] = ['record', 'filter'];

/**
 * Validates `estimation.proxy`: name one of PROXY_NAMES, mode 'record' or
 * 'filter', keepFraction a number in (0, 1]. keepFraction may be left out
 * with mode 'record', where it defaults to 1.
 * Throws ValidationError naming the field.
 */
export function validateProxyConfig(value: unknown): ProxyConfig {
  const field = 'estimation.proxy';
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ValidationError(
      field,
      value,
      `${field} must be an object, got ${describeValue(value)}: use e.g. {"name": "synflow", "mode": "filter", "keepFraction": 0.5} or remove it`,
    );
  }
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (!['name', 'mode', 'keepFraction'].includes(key)) {
      throw new ValidationError(`${field}.${key}`, record[key], `${field}.${key} is an unknown setting: use name, mode, keepFraction`);
    }
  }
  if (!PROXY_NAMES.includes(record.name as ProxyName)) {
    throw new ValidationError(
      `${field}.name`,
      record.name,
      `${field}.name must be one of ${PROXY_NAMES.join(', ')}, got ${describeValue(record.name)}`,
    );
  }
  if (!MODES.includes(record.mode as ProxyConfig['mode'])) {
    throw new ValidationError(`${field}.mode`, record.mode, `${field}.mode must be "record" or "filter", got ${describeValue(record.mode)}`);
  }
  const mode = record.mode as ProxyConfig['mode'];
  const keepFraction = record.keepFraction ?? (mode === 'record' ? 1 : undefined);
  if (typeof keepFraction !== 'number' || !(keepFraction > 0 && keepFraction <= 1)) {
    throw new ValidationError(
      `${field}.keepFraction`,
      keepFraction,
      `${field}.keepFraction must be a number in (0, 1], got ${describeValue(keepFraction)}: e.g. 0.5 trains the better half`,
    );
  }
  return { name: record.name as ProxyName, mode, keepFraction };
}

/**
 * Builds the proxy part of the evaluation request of `trial`, or undefined
 * when the run has no proxy. The reference scores are those stored with
 * trials told to the strategy before `trial` was proposed (indices below
 * trial.toldBefore, or up to index - workers for a trial stored without it),
 * pruned ones included, in index order. They do not depend on timing, so the
 * filter decisions are the same on every machine and after a resume.
 * A promoted scheduler rung gets no request: it was scored at its first rung.
 */
export function proxyRequest(config: RunConfig, trials: Iterable<Trial>, trial: Trial): ProxyRequest | undefined {
  const proxy = config.estimation?.proxy;
  if (proxy === undefined) return undefined;
  if (trial.schedule !== undefined && trial.schedule.rung !== trial.schedule.firstRung) return undefined;
  const cutoff = trial.toldBefore ?? trial.index - config.workers + 1;
  const known = [...trials]
    .filter((other) => other.index < cutoff && other.proxies?.[proxy.name] !== undefined)
    .sort((a, b) => a.index - b.index);
  return { ...proxy, reference: known.map((other) => other.proxies?.[proxy.name] as number) };
}

/** Outcome of the proxy filter for one candidate. */
export interface ProxyFilterDecision {
  train: boolean;
  /** Reason the candidate is skipped, stored as the trial's stopReason; absent when it trains. */
  reason?: string;
}

/**
 * Decides whether a candidate with proxy `score` trains. Its rank among the
 * n reference scores and itself is 1 + (reference scores strictly higher),
 * so ties count in its favour. It trains when that rank is at most
 * ceil(keepFraction * (n + 1)), that is within the top keepFraction rounded
 * up. So the first candidate always trains, and keepFraction 1 trains every
 * candidate. A NaN or -Infinity score (NASWOT's singular kernel) ranks below
 * every finite score.
 */
export function decideProxyFilter(request: ProxyRequest, score: number): ProxyFilterDecision {
  if (request.mode !== 'filter') return { train: true };
  const higher = request.reference.filter((other) => other > score || (Number.isNaN(score) && !Number.isNaN(other))).length;
  const rank = higher + 1;
  const keptRanks = Math.ceil(request.keepFraction * (request.reference.length + 1));
  if (rank <= keptRanks) return { train: true };
  return {
    train: false,
    reason:
      `${request.name} score ${formatScore(score)} ranks ${rank} of ${request.reference.length + 1} among the scores seen so far, ` +
      `outside the top ${keptRanks} (keepFraction ${request.keepFraction})`,
  };
}

function formatScore(score: number): string {
  return Number.isFinite(score) ? score.toPrecision(4) : String(score);
}

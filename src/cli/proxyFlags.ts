// The zero-cost proxy flags of `nas-studio search`: --proxy, --proxy-mode and
// --keep-fraction set estimation.proxy of a new run's configuration.
import { ValidationError } from '../core/errors';
import { validateRunConfig } from '../core/run/config';
import { PROXY_NAMES } from '../core/run/proxy-config';
import type { ProxyConfig, RunConfig } from '../core/run/types';
import { UsageError, type FlagSpecs, type FlagValues } from './args';

/** Keep fraction of --proxy-mode filter when --keep-fraction is not given. */
export const DEFAULT_PROXY_KEEP_FRACTION = 0.5;

export const PROXY_FLAGS: FlagSpecs = {
  proxy: { type: 'string', help: ['NAME', `score each untrained candidate with a zero-cost proxy: ${PROXY_NAMES.join(', ')}`] },
  'proxy-mode': {
    type: 'string',
    help: ['MODE', 'with --proxy: record (store the score with the trial) or filter (also skip low scores) (default record)'],
  },
  'keep-fraction': {
    type: 'string',
    help: ['X', `with --proxy-mode filter: fraction of candidates, by proxy rank, that train, in (0, 1] (default ${DEFAULT_PROXY_KEEP_FRACTION})`],
  },
};

const FLAG_OF_FIELD: Record<string, string> = {
  'estimation.proxy.name': '--proxy',
  'estimation.proxy.mode': '--proxy-mode',
  'estimation.proxy.keepFraction': '--keep-fraction',
};

/**
 * Returns `config` with estimation.proxy set from the flags, or unchanged
 * without --proxy. `tabular` is true for a --table run.
 * @throws UsageError naming the flag when --proxy-mode or --keep-fraction
 *   comes without --proxy, --keep-fraction comes without filter mode, a value
 *   is invalid, or a proxy meets --table (a table lookup builds no network to score).
 */
export function applyProxyFlags(config: RunConfig, flags: FlagValues, tabular: boolean): RunConfig {
  const name = flags.proxy;
  if (name === undefined) {
    for (const flag of ['proxy-mode', 'keep-fraction']) {
      if (flags[flag] !== undefined) throw new UsageError(`--${flag}`, `--${flag} is only used with --proxy: add --proxy NAME or drop --${flag}`);
    }
  }
  if (tabular && (name !== undefined || config.estimation?.proxy !== undefined)) {
    throw new UsageError(
      name !== undefined ? '--proxy' : '--table',
      'a zero-cost proxy scores the untrained network, but --table looks results up without building one: drop --proxy (or estimation.proxy) or drop --table',
    );
  }
  if (typeof name !== 'string') return config;

  const mode = flags['proxy-mode'] ?? 'record';
  const keepText = flags['keep-fraction'];
  if (keepText !== undefined && mode !== 'filter') {
    throw new UsageError('--keep-fraction', '--keep-fraction is only used with --proxy-mode filter: add --proxy-mode filter or drop --keep-fraction');
  }
  let keepFraction = mode === 'filter' ? DEFAULT_PROXY_KEEP_FRACTION : 1;
  if (typeof keepText === 'string') {
    keepFraction = Number(keepText);
    if (keepText.trim() === '' || !Number.isFinite(keepFraction)) {
      throw new UsageError('--keep-fraction', `--keep-fraction must be a number, got ${JSON.stringify(keepText)}: pass for example --keep-fraction 0.5`);
    }
  }
  const proxy = { name, mode, keepFraction } as ProxyConfig;
  try {
    return validateRunConfig({ ...config, estimation: { ...config.estimation, proxy } });
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    const flag = FLAG_OF_FIELD[error.field];
    if (flag === undefined) throw error;
    throw new UsageError(flag, `${flag}: ${error.message}`);
  }
}

/** Rejects the proxy flags with --resume, whose configuration is read from the run directory. */
export function rejectProxyFlagsOnResume(flags: FlagValues): void {
  for (const name of Object.keys(PROXY_FLAGS)) {
    if (flags[name] !== undefined) {
      throw new UsageError(`--${name}`, `--${name} cannot be combined with --resume: the run keeps the settings it started with, so drop --${name}`);
    }
  }
}

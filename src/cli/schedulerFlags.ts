// The --scheduler, --min-epochs and --eta flags of `nas-studio search`:
// they set estimation.scheduler of a new run's configuration.
import { ValidationError } from '../core/errors';
import { validateRunConfig } from '../core/run/config';
import { SCHEDULER_KINDS } from '../core/run/scheduler-config';
import type { RunConfig, SchedulerConfig } from '../core/run/types';
import { UsageError, type FlagSpecs, type FlagValues } from './args';

/** Defaults of the flags, the usual Hyperband settings: a 1-epoch lowest rung and a third promoted. */
export const DEFAULT_MIN_EPOCHS = 1;
export const DEFAULT_ETA = 3;

export const SCHEDULER_FLAGS: FlagSpecs = {
  scheduler: {
    type: 'string',
    help: ['KIND', `train in rungs of more and more epochs, promoting the best: ${SCHEDULER_KINDS.join(' or ')}`],
  },
  'min-epochs': { type: 'string', help: ['N', `epochs of the lowest rung with --scheduler (default ${DEFAULT_MIN_EPOCHS})`] },
  eta: { type: 'string', help: ['N', `reduction factor with --scheduler: 1/N of a rung is promoted to N times the epochs (default ${DEFAULT_ETA})`] },
};

function flagValue(flags: FlagValues, name: string): string | undefined {
  const value = flags[name];
  return typeof value === 'string' ? value : undefined;
}

function readCount(flags: FlagValues, name: string, fallback: number): number {
  const text = flagValue(flags, name);
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(value)) {
    throw new UsageError(`--${name}`, `--${name} must be a whole number, got ${JSON.stringify(text)}: pass for example --${name} ${fallback}`);
  }
  return value;
}

/**
 * Returns `config` with estimation.scheduler set from the flags, or
 * unchanged without --scheduler. `tabular` is true for a --table run.
 * @throws UsageError naming the flag when --min-epochs or --eta comes
 *   without --scheduler, a value is invalid, or a scheduler (from the flags
 *   or the configuration) meets a benchmark table, which has no epochs.
 */
export function applySchedulerFlags(config: RunConfig, flags: FlagValues, tabular: boolean): RunConfig {
  const kind = flagValue(flags, 'scheduler');
  if (kind === undefined) {
    for (const name of ['min-epochs', 'eta']) {
      if (flags[name] !== undefined) {
        throw new UsageError(`--${name}`, `--${name} is only used with --scheduler: add --scheduler hyperband or drop --${name}`);
      }
    }
    if (tabular && config.estimation?.scheduler !== undefined) {
      throw new UsageError(
        '--table',
        `the configuration sets estimation.scheduler, but a benchmark table has one result per cell and no epochs to schedule: remove estimation.scheduler or drop --table`,
      );
    }
    return config;
  }
  if (tabular) {
    throw new UsageError(
      '--scheduler',
      `--scheduler ${kind} needs training epochs, but --table looks results up without training: drop --scheduler or drop --table`,
    );
  }
  if (!SCHEDULER_KINDS.includes(kind as SchedulerConfig['kind'])) {
    throw new UsageError('--scheduler', `--scheduler must be ${SCHEDULER_KINDS.join(' or ')}, got ${JSON.stringify(kind)}: pick one of them`);
  }

  const scheduler = {
    kind: kind as SchedulerConfig['kind'],
    minEpochs: readCount(flags, 'min-epochs', DEFAULT_MIN_EPOCHS),
    eta: readCount(flags, 'eta', DEFAULT_ETA),
  };
  const updated = { ...config, estimation: { ...config.estimation, scheduler } };
  try {
    return validateRunConfig(updated);
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    const flag = error.field.endsWith('.eta') ? '--eta' : error.field.endsWith('.minEpochs') ? '--min-epochs' : '--scheduler';
    throw new UsageError(flag, `${flag}: ${error.message}`);
  }
}

/** Rejects the scheduler flags with --resume, whose configuration is read from the run directory. */
export function rejectSchedulerFlagsOnResume(flags: FlagValues): void {
  for (const name of Object.keys(SCHEDULER_FLAGS)) {
    if (flags[name] !== undefined) {
      throw new UsageError(`--${name}`, `--${name} cannot be combined with --resume: the run keeps the scheduler it started with, so drop --${name}`);
    }
  }
}

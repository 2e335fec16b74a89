// The curve-stop and predictor-filter flags of `nas-studio search`: they set
// estimation.curveStop and estimation.predictorFilter of a new run's
// configuration.
import { ValidationError } from '../core/errors';
import { validateRunConfig } from '../core/run/config';
import { findUnreachableSettings } from '../core/run/unreachable-settings';
import type { EstimationConfig, RunConfig } from '../core/run/types';
import { UsageError, type FlagSpecs, type FlagValues } from './args';

/** Defaults of the flags when the feature is on but a setting is not given. */
export const STOP_FILTER_DEFAULTS = { kthBest: 3, probability: 0.95, minEpochs: 2, minTrials: 10, keepFraction: 0.5 };

const CURVE_FLAGS = ['kth-best', 'stop-probability', 'curve-min-epochs'] as const;
const PREDICTOR_FLAGS = ['predictor-min-trials', 'predictor-keep-fraction'] as const;
const PREDICTOR_MODELS = ['gp', 'mlp', 'trees'] as const;

export const STOP_FILTER_FLAGS: FlagSpecs = {
  'curve-stop': { type: 'boolean', help: ['', 'stop a trial whose extrapolated learning curve ends below the k-th best with high probability'] },
  'kth-best': { type: 'string', help: ['K', `with --curve-stop: rank of the finished trial to beat (default ${STOP_FILTER_DEFAULTS.kthBest})`] },
  'stop-probability': {
    type: 'string',
    help: ['P', `with --curve-stop: stop when the trial ends below the k-th best with at least this probability, in (0, 1) (default ${STOP_FILTER_DEFAULTS.probability})`],
  },
  'curve-min-epochs': {
    type: 'string',
    help: ['N', `with --curve-stop: epochs observed before the first prediction, at least 2 (default ${STOP_FILTER_DEFAULTS.minEpochs})`],
  },
  predictor: { type: 'string', help: ['MODEL', `skip candidates a surrogate predicts to be poor: ${PREDICTOR_MODELS.join(', ')}`] },
  'predictor-min-trials': {
    type: 'string',
    help: ['N', `with --predictor: finished trials before the filter acts (default ${STOP_FILTER_DEFAULTS.minTrials})`],
  },
  'predictor-keep-fraction': {
    type: 'string',
    help: ['X', `with --predictor: fraction of candidates, by predicted accuracy, that train, in (0, 1] (default ${STOP_FILTER_DEFAULTS.keepFraction})`],
  },
};

/** Maps a field of estimation.curveStop or estimation.predictorFilter to its flag. */
const FLAG_OF_FIELD: Record<string, string> = {
  'estimation.curveStop.kthBest': '--kth-best',
  'estimation.curveStop.probability': '--stop-probability',
  'estimation.curveStop.minEpochs': '--curve-min-epochs',
  'estimation.predictorFilter.model': '--predictor',
  'estimation.predictorFilter.minTrials': '--predictor-min-trials',
  'estimation.predictorFilter.keepFraction': '--predictor-keep-fraction',
};

/** A decimal number as typed on a command line, e.g. 0.95, 3 or 1e-3. Hexadecimal and other forms that Number() also reads are rejected. */
const DECIMAL_NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

function readNumber(flags: FlagValues, name: string, fallback: number): number {
  const text = flags[name];
  if (typeof text !== 'string') return fallback;
  const value = Number(text);
  if (!DECIMAL_NUMBER.test(text.trim()) || !Number.isFinite(value)) {
    throw new UsageError(`--${name}`, `--${name} must be a decimal number, got ${JSON.stringify(text)}: pass for example --${name} ${fallback}`);
  }
  return value;
}

function rejectWithout(flags: FlagValues, names: readonly string[], needed: string): void {
  for (const name of names) {
    if (flags[name] !== undefined) {
      throw new UsageError(`--${name}`, `--${name} is only used with ${needed}: add ${needed} or drop --${name}`);
    }
  }
}

/**
 * Returns `config` with estimation.curveStop and estimation.predictorFilter
 * set from the flags; settings the flags do not mention stay as in the
 * configuration. `tabular` is true for a --table run.
 * @throws UsageError naming the flag when a setting flag comes without its
 *   feature flag, a value is invalid, or --curve-stop meets --table (a
 *   table has no learning curves to extrapolate).
 */
export function applyStopFilterFlags(config: RunConfig, flags: FlagValues, tabular: boolean): RunConfig {
  const curveStop = flags['curve-stop'] === true;
  const model = flags.predictor;
  if (!curveStop) rejectWithout(flags, CURVE_FLAGS, '--curve-stop');
  if (model === undefined) rejectWithout(flags, PREDICTOR_FLAGS, '--predictor');
  if (tabular && (curveStop || config.estimation?.curveStop !== undefined)) {
    throw new UsageError(
      curveStop ? '--curve-stop' : '--table',
      'the curve stop extrapolates learning curves, but --table looks results up without training: drop --curve-stop (or estimation.curveStop) or drop --table',
    );
  }
  if (!curveStop && model === undefined) return config;

  const estimation: EstimationConfig = { ...config.estimation };
  if (curveStop) {
    estimation.curveStop = {
      kthBest: readNumber(flags, 'kth-best', STOP_FILTER_DEFAULTS.kthBest),
      probability: readNumber(flags, 'stop-probability', STOP_FILTER_DEFAULTS.probability),
      minEpochs: readNumber(flags, 'curve-min-epochs', STOP_FILTER_DEFAULTS.minEpochs),
    };
  }
  if (typeof model === 'string') {
    estimation.predictorFilter = {
      model: model as (typeof PREDICTOR_MODELS)[number],
      minTrials: readNumber(flags, 'predictor-min-trials', STOP_FILTER_DEFAULTS.minTrials),
      keepFraction: readNumber(flags, 'predictor-keep-fraction', STOP_FILTER_DEFAULTS.keepFraction),
    };
  }
  try {
    return validateRunConfig({ ...config, estimation });
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    const flag = FLAG_OF_FIELD[error.field];
    if (flag === undefined) throw error;
    // The flag text is quoted as typed, because the parsed value in the message may read differently (1.0 becomes 1).
    const typed = flags[flag.slice(2)];
    throw new UsageError(flag, typeof typed === 'string' ? `${flag} ${JSON.stringify(typed)}: ${error.message}` : `${flag}: ${error.message}`);
  }
}

/**
 * Rejects a new run's estimation setting that can never act with its
 * budget and training epochs (see findUnreachableSettings), naming the flag
 * that set it, or --config when the configuration file did.
 * @throws UsageError with the setting, its value, the limit and the fix.
 */
export function rejectUnreachableSettings(config: RunConfig, flags: FlagValues): void {
  const [first] = findUnreachableSettings(config);
  if (first === undefined) return;
  const flag = FLAG_OF_FIELD[first.field];
  const setByFlag = flag !== undefined && flags[flag.slice(2)] !== undefined;
  if (setByFlag) throw new UsageError(flag, `${flag} ${first.value} can never act: ${first.message}`);
  throw new UsageError('--config', `${first.message} (set in the --config file or by a flag's default)`);
}

/** Rejects these flags with --resume, whose configuration is read from the run directory. */
export function rejectStopFilterFlagsOnResume(flags: FlagValues): void {
  for (const name of Object.keys(STOP_FILTER_FLAGS)) {
    if (flags[name] !== undefined) {
      throw new UsageError(`--${name}`, `--${name} cannot be combined with --resume: the run keeps the settings it started with, so drop --${name}`);
    }
  }
}

// `nas-studio search`: runs or resumes a search headless, with MNIST training
// in this process or lookups in a benchmark table, writing the run to files
// and a progress line to stderr. Ctrl-C stops it with the state saved.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { NasError } from '../core/errors';
import { findFractionColumns } from '../core/bench/coverage';
import { TabularEvaluator } from '../core/evaluators/tabular';
import { createLogger } from '../core/log';
import { computeFront, runSearch, type RunEvent } from '../core/run/loop';
import { isFinished } from '../core/run/proposals';
import type { Evaluator, RunRecord, Trial, TrialMetrics } from '../core/run/types';
import { STRATEGIES } from '../core/strategy';
import { prepareStrategyBackend, quietTfjs } from './strategyBackend';
import { formatFlags, parseFlags, type FlagSpecs } from './args';
import { FileRunStore, readRunDirectory } from './fileStore';
import type { CliIo } from './main';
import { ProgressLine } from './progress';
import { planSearch, type SearchPlan } from './searchPlan';
import { SCHEDULER_FLAGS } from './schedulerFlags';
import { STOP_FILTER_FLAGS } from './stopFilterFlags';
import { PROXY_FLAGS } from './proxyFlags';

const log = createLogger('cli');

export const PARETO_FILE = 'pareto.json';

const SEARCH_FLAGS: FlagSpecs = {
  config: { type: 'string', help: ['FILE', 'run configuration (RunConfig JSON) of a new run'] },
  out: { type: 'string', help: ['DIR', 'output directory, created if missing; it must not contain a run yet'] },
  resume: { type: 'string', help: ['DIR', 'continue the stopped run in DIR with its saved configuration and evaluator'] },
  table: { type: 'string', help: ['CSV', 'look cells up in a NAS-Bench-201 benchmark table instead of training on MNIST'] },
  signal: { type: 'string', help: ['COLUMN', 'table column (percent) used as validation accuracy, e.g. cifar10_valid_12ep'] },
  report: { type: 'string', help: ['COLUMN', 'table column (percent) used as test accuracy, e.g. cifar10_test_200ep'] },
  ...SCHEDULER_FLAGS,
  ...STOP_FILTER_FLAGS,
  ...PROXY_FLAGS,
  help: { type: 'boolean', short: 'h', help: ['', 'show this help'] },
};

export const SEARCH_HELP = `Usage: nas-studio search --config FILE --out DIR [--table CSV --signal COLUMN --report COLUMN]
                         [--scheduler successive-halving|hyperband [--min-epochs N] [--eta N]]
                         [--curve-stop [--kth-best K] [--stop-probability P] [--curve-min-epochs N]]
                         [--predictor gp|mlp|trees [--predictor-min-trials N] [--predictor-keep-fraction X]]
                         [--proxy NAME [--proxy-mode record|filter] [--keep-fraction X]]
       nas-studio search --resume DIR

Runs a neural architecture search. Without --table each candidate trains on
MNIST (public/data/mnist.bin, built by \`npm run data\`) in this process,
one at a time, on the run's backend: cpu, wasm, or for auto the faster of
the two by a short training probe. With --table each NAS-Bench-201 cell is
looked up in the table, which takes milliseconds; the space must be a cell
space and costObjective params or flops.

With --scheduler, candidates first train --min-epochs epochs; the best 1/eta
of each rung continue from their weights for eta times as many epochs, up to
training.epochs. successive-halving runs brackets that all start at the
lowest rung; hyperband varies the starting rung between brackets. The budget
still counts distinct architectures. --scheduler needs MNIST training, so it
cannot be combined with --table.

With --curve-stop, after each epoch from --curve-min-epochs on, an ensemble
of parametric learning curves extrapolates the validation accuracy to
training.epochs. A trial that ends below the k-th best finished trial with
at least --stop-probability stops with status pruned. It needs training, so
it cannot be combined with --table.

With --predictor, once --predictor-min-trials trials have finished, a
surrogate (gp: Gaussian process, mlp: MLP ensemble, trees: random forest)
fitted to them predicts each new candidate. A candidate predicted below the
(1 - keep fraction) quantile of the surrogate's predictions for the finished
trials is pruned without training. It still counts towards the budget.

With --proxy, each candidate's untrained network is scored by a zero-cost
proxy (synflow, naswot, snip, grad_norm, or the params and flops
baselines), and the score is stored with the trial. naswot scores the first
128 training images and snip and grad_norm the first 64, fewer when the
training subset is smaller. synflow uses an all-ones input.
With --proxy-mode filter, a candidate trains only when its score ranks
within the top --keep-fraction (rounded up) among itself and the scores of
the trials told to the strategy before it was proposed. A skipped candidate
is pruned without training and still counts towards the budget.

Flags:
${formatFlags(SEARCH_FLAGS)}

Strategies (strategy.name in the configuration): ${Object.keys(STRATEGIES).join(', ')}.

Files written to DIR:
  trials.jsonl   one finished trial per line, in finish order
  queue.json     trials proposed but not finished yet
  run.json       the run record: configuration, status and resumable state
  evaluator.json the evaluator settings that --resume reuses
  checkpoints/   with --scheduler, the weights of trials that may still be
                 promoted, so --resume continues them instead of retraining
  pareto.json    the accuracy/cost Pareto front with each trial's metrics,
                 written when the run completes, stops or fails
  best/          the best trained model (model.json, model.weights.bin,
                 metadata.json); not written with --table

Ctrl-C cancels the running trial, saves the run and exits with code 130;
\`npx nas-studio search --resume DIR\` then continues it exactly.
Exit codes: 0 completed, 1 failed, 2 bad input, 130 stopped by Ctrl-C.
`;

/** The result of the search command: a finished run, or one stopped by an interrupt and resumable. */
export type SearchOutcome = 'completed' | 'stopped';

async function createEvaluator(plan: SearchPlan): Promise<Evaluator> {
  if (plan.evaluator.kind === 'tabular') {
    return new TabularEvaluator(plan.table as NonNullable<SearchPlan['table']>, { concurrency: plan.record.config.workers });
  }
  const requested = plan.record.config.backend;
  const backend = requested === 'auto' || requested === 'cpu' || requested === 'wasm' ? requested : 'auto';
  if (backend !== requested) {
    log.warn(`backend "${requested}" is not available in Node; the faster of cpu and wasm trains instead`);
  }
  // Imported here so tabular runs and --help never load tfjs.
  await quietTfjs();
  const { NodeEvaluator } = await import('./nodeEvaluator');
  const evaluator = new NodeEvaluator({ backend });
  await evaluator.prepare();
  return evaluator;
}

/** Writes pareto.json: the front of the run's trials with each point's full trial metrics. */
async function writePareto(dir: string, record: RunRecord, trials: readonly Trial[]): Promise<void> {
  const objective = record.config.costObjective;
  const byId = new Map(trials.map((trial) => [trial.id, trial]));
  const points = computeFront(trials, objective).map((point) => {
    const trial = byId.get(point.id) as Trial;
    return { trialId: trial.id, index: trial.index, hash: trial.hash, arch: trial.arch, cost: point.cost, metrics: trial.metrics };
  });
  const hypervolume = record.state.hypervolume.at(-1)?.value ?? 0;
  const pareto = { runId: record.id, costObjective: objective, hypervolume, points };
  await writeFile(join(dir, PARETO_FILE), `${JSON.stringify(pareto, null, 2)}\n`);
}

/** Follows run events: keeps the progress line current and prints failed trials. */
function followEvents(progress: ProgressLine): (event: RunEvent) => void {
  return (event) => {
    if (event.type === 'progress') {
      const { epochsSpent, epochsPlanned, epochsFull } = event;
      const epochs = epochsSpent !== undefined && epochsFull !== undefined ? { spent: epochsSpent, planned: epochsPlanned, full: epochsFull } : undefined;
      progress.update({ done: event.done, epochs });
      return;
    }
    if (event.type !== 'trial-updated') return;

    const { trial } = event;
    if (event.progress !== undefined) {
      const { epoch, fraction } = event.progress;
      progress.update({ running: { trial: trial.index, epoch, epochs: trial.epochs, fraction, rung: trial.schedule?.rung } });
      return;
    }
    if (isFinished(trial)) progress.update({ running: undefined });
    if (trial.status === 'done' && trial.metrics !== undefined) {
      progress.offerBest(trial.metrics);
    } else if (trial.status === 'failed' || trial.status === 'diverged') {
      progress.log(`trial ${trial.index} ${trial.status}: ${trial.error?.message ?? 'no error message'}`);
    }
  };
}

/**
 * Runs `nas-studio search` with the flags in `argv`. Resolves 'completed'
 * when the run finished, 'stopped' when an interrupt stopped it (state saved).
 * @throws UsageError for bad flags, files or configuration; NasError when the run fails.
 */
export async function runSearchCommand(argv: string[], io: CliIo): Promise<SearchOutcome> {
  const flags = parseFlags('search', argv, SEARCH_FLAGS);
  if (flags.help === true) {
    io.stdout.write(SEARCH_HELP);
    return 'completed';
  }

  const plan = await planSearch(flags);
  await prepareStrategyBackend([plan.record.config.strategy.name]);
  const { config } = plan.record;
  if (plan.record.status === 'completed') {
    io.stderr.write(`the run in ${plan.dir} is already completed: ${plan.record.message ?? `${config.budget} trials`}\n`);
    return 'completed';
  }
  const evaluator = await createEvaluator(plan);
  for (const column of plan.table === undefined ? [] : findFractionColumns(plan.table)) {
    io.stderr.write(`warning: every value of column ${JSON.stringify(column)} in --table is at most 1, so it looks like fractions, but the table must hold percentages (93.6, not 0.936)\n`);
  }

  io.stderr.write(`${plan.resumed ? 'resuming' : 'starting'} run "${config.name}" (${config.strategy.name}, budget ${config.budget}, seed ${config.seed}) in ${plan.dir}\n`);

  const controller = new AbortController();
  const doneAtStart = plan.trials.filter(isFinished).length;
  const progress = new ProgressLine(io.stderr, config.budget, doneAtStart);
  // Show the best of earlier sessions with one draw instead of one line per improvement.
  let earlierBest: TrialMetrics | undefined;
  for (const trial of plan.trials) {
    const metrics = trial.status === 'done' ? trial.metrics : undefined;
    if (metrics !== undefined && (earlierBest === undefined || metrics.validationAccuracy > earlierBest.validationAccuracy)) earlierBest = metrics;
  }
  if (earlierBest !== undefined) progress.offerBest(earlierBest);
  const removeInterruptHandler = io.onInterrupt(() => {
    if (controller.signal.aborted) return;
    progress.log('stopping: cancelling the running trial and saving the run (press Ctrl-C again to quit at once)');
    controller.abort();
  });

  let record: RunRecord;
  try {
    record = await runSearch({
      record: plan.record,
      trials: plan.trials,
      evaluator,
      store: new FileRunStore(plan.dir, plan.trials),
      signal: controller.signal,
      onEvent: followEvents(progress),
    });
  } finally {
    removeInterruptHandler();
    progress.finish();
  }

  const stored = await readRunDirectory(plan.dir);
  await writePareto(plan.dir, record, stored.trials);
  if (record.status === 'failed') {
    // The loop's message already starts with "the run failed:".
    throw new NasError('internal', `${record.message ?? 'the run failed with no message'}; its state is in ${plan.dir}, fix the cause and resume with: npx nas-studio search --resume ${plan.dir}`);
  }
  io.stdout.write(`${record.status}: ${record.message ?? `${config.budget} trials`}\nrun directory: ${plan.dir}\n`);
  const failed = stored.trials.filter((trial) => trial.status === 'failed');
  if (record.status === 'completed' && failed.length > 0 && failed.length === stored.trials.length) {
    // A run whose every trial failed found nothing, so it must not exit 0 like a successful one.
    const first = failed[0].error?.message ?? 'no error message';
    throw new NasError('internal', `every one of the run's ${failed.length} trials failed, so the search found no architecture (first error: ${first}): fix the cause and start a new run`);
  }
  if (record.status === 'stopped') {
    io.stderr.write(`resume with: npx nas-studio search --resume ${plan.dir}\n`);
    return 'stopped';
  }
  return 'completed';
}

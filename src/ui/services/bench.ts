// The Benchmarks page's facade: reads the picked table, validates the form,
// runs the benchmark in its own worker, feeds the store from the worker's
// events and downloads the result as the JSON of `nas-studio bench --out`.
import { benchJson } from '../../core/bench/report';
import { NasError, ValidationError } from '../../core/errors';
import { createLogger } from '../../core/log';
import { startBenchmarkWorker, type BenchmarkHandle } from '../../workers/benchClient';
import type { BenchEvent } from '../../workers/benchProtocol';
import { validateBenchForm, type BenchField, type BenchFormErrors } from '../bench/benchForm';
import { inspectBenchmarkCsv } from '../bench/benchTable';
import { downloadFile, fileStem } from '../common/download';
import { useStudioStore } from '../store';

const log = createLogger('ui');

/** The actions of the Benchmarks page; each reports failures in the store instead of throwing. */
export interface BenchService {
  /** Reads and inspects a picked CSV file; `undefined` (the picker was cleared) clears the table. */
  pickTable(file: File | undefined): Promise<void>;
  /** Validates the form and starts the benchmark; field errors start nothing. */
  start(): void;
  /** Stops the running benchmark; the curves of the finished seeds stay on the page. */
  stop(): void;
  /** Downloads the finished benchmark as the JSON document of `nas-studio bench --out`. */
  downloadJson(): void;
}

/** Maximum delay, in milliseconds, between a worker event and its appearance on the page. */
const EVENT_BATCH_MS = 200;

const FORM_FIELDS: Record<string, BenchField> = { table: 'table', budget: 'budget', seeds: 'seeds', firstSeed: 'firstSeed' };

/** Maps a worker's ValidationError to the form field it concerns, or undefined for a page-wide message. */
function fieldOf(error: ValidationError): BenchField | undefined {
  if (error.field.startsWith('strategies')) return 'strategies';
  return FORM_FIELDS[error.field];
}

export function createBenchService(now: () => number = () => Date.now()): BenchService {
  const store = useStudioStore;
  let handle: BenchmarkHandle | null = null;

  const fail = (error: unknown) => {
    const state = store.getState();
    const tableName = state.benchRun?.tableName ?? 'the table';
    state.endBenchRun('failed', now());
    if (error instanceof ValidationError && fieldOf(error) !== undefined) {
      const field = fieldOf(error) as BenchField;
      const message = field === 'table' ? `${tableName}: ${error.message}` : error.message;
      log.info(`benchmark rejected at ${field}: ${message}`);
      state.setBenchErrors({ [field]: message } as BenchFormErrors);
      return;
    }
    log.error('benchmark failed', error);
    const message = error instanceof Error ? error.message : String(error);
    state.setBenchErrors({}, `The benchmark failed: ${message}`);
  };

  return {
    async pickTable(file) {
      const state = store.getState();
      if (file === undefined) {
        state.setBenchTable(null);
        return;
      }
      try {
        state.setBenchTable(inspectBenchmarkCsv(file.name, await file.text()));
      } catch (error) {
        state.setBenchTable(null);
        const message = error instanceof Error ? error.message : String(error);
        if (error instanceof ValidationError) log.info(`table ${file.name} rejected: ${message}`);
        else log.error(`reading ${file.name} failed`, error);
        state.setBenchErrors({ table: message });
      }
    },

    start() {
      const state = store.getState();
      if (state.benchStatus === 'running') return;
      const validated = validateBenchForm(state.benchForm, state.benchTable);
      if (validated.errors !== undefined) {
        state.setBenchErrors(validated.errors);
        return;
      }

      const { csv: _csv, ...settings } = validated.request;
      const tableName = state.benchTable?.fileName ?? 'table.csv';
      state.startBenchRun(settings, tableName, now());
      log.info(`benchmark of ${settings.strategies.join(', ')} started: ${settings.seeds} seeds from ${settings.firstSeed}, budget ${settings.budget}`);
      // Seeds of a fast strategy finish every few milliseconds, so events are
      // applied in batches and the chart redraws a few times per second.
      let pending: BenchEvent[] = [];
      let flushTimer: ReturnType<typeof setTimeout> | undefined;
      const flush = () => {
        clearTimeout(flushTimer);
        flushTimer = undefined;
        const events = pending;
        pending = [];
        store.getState().applyBenchEvents(events, now());
      };
      const current = startBenchmarkWorker(validated.request, (event) => {
        pending.push(event);
        flushTimer ??= setTimeout(flush, EVENT_BATCH_MS);
      });
      handle = current;
      current.result.finally(flush).catch(() => undefined);
      current.result.then(
        (result) => {
          if (handle === current) store.getState().endBenchRun('completed', now(), result);
          log.info('benchmark finished');
        },
        (error: unknown) => {
          if (handle !== current) return;
          if (error instanceof NasError && error.code === 'cancelled') {
            store.getState().endBenchRun('stopped', now());
            log.info('benchmark stopped');
            return;
          }
          fail(error);
        },
      );
    },

    stop() {
      handle?.stop();
    },

    downloadJson() {
      const { benchResult, benchRun } = store.getState();
      if (benchResult === null || benchRun === null) return;
      const json = benchJson(benchResult, { table: benchRun.tableName, signal: benchRun.settings.signal, report: benchRun.settings.report });
      downloadFile(`bench-${fileStem(benchRun.tableName)}.json`, `${JSON.stringify(json, null, 2)}\n`);
    },
  };
}

/** The facade the Benchmarks page uses; one benchmark runs at a time per page. */
export const benchService: BenchService = createBenchService();

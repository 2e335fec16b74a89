// The studio facade: owns the IndexedDB connection, the worker pool and the
// run loop, and feeds the zustand store from the loop's events. Components
// call these actions and never touch tfjs, idb or workers themselves.
import { NasError, ValidationError } from '../../core/errors';
import { createLogger } from '../../core/log';
import { checkFeasibility, defaultRunConfig, validateRunConfig } from '../../core/run/config';
import { computeFront, runSearch, type RunEvent } from '../../core/run/loop';
import type { RunConfig, RunRecord, Trial } from '../../core/run/types';
import { MNIST_INPUT, PRESET_SPACES } from '../../core/space';
import type { SearchSpace } from '../../core/space/types';
import { STRATEGIES } from '../../core/strategy';
import { exportMetadata, savedModelToFiles } from '../../engine/export';
import { prepareStrategyBackend } from '../../engine/strategyBackend';
import * as storage from '../../storage';
import type { StudioDb } from '../../storage';
import { WorkerPool, type PoolStatus } from '../../workers/pool';
import { downloadFile, fileStem } from '../common/download';
import { configToForm, formToConfig } from '../run/runForm';
import { observeRunStore } from './observedRunStore';
import { useStudioStore } from '../store';
import type { RunSummary } from '../store/runSlice';
import type { WorkerView } from '../store/workersSlice';

const log = createLogger('ui');

const FINAL_TRIAL_STATUSES = new Set(['done', 'failed', 'diverged', 'pruned']);

/** The actions the UI calls; every one reports failures as a notice instead of throwing. */
export interface Studio {
  /** Opens the database, marks runs left 'running' by an earlier page as 'interrupted' and loads lists. */
  init(): Promise<void>;
  saveSpace(space: SearchSpace): Promise<void>;
  deleteSpace(id: string): Promise<void>;
  /** Validates the Run form and starts a new run; field errors and infeasible constraints start nothing. */
  startSearch(): Promise<void>;
  /** Aborts the running search; its status becomes 'stopped'. */
  stopSearch(): void;
  /** Continues a stored run that is stopped, interrupted or failed. */
  resumeSearch(runId: string): Promise<void>;
  /** Shows a stored run on the Results page. */
  openRun(runId: string): Promise<void>;
  deleteRun(runId: string): Promise<void>;
  /** Downloads a run and its trials as a JSON bundle. */
  exportRun(runId: string): Promise<void>;
  /** Stores a run bundle given as JSON text and lists it. */
  importRun(json: string): Promise<void>;
  /** Downloads `<run>-trial-<index>.model.json`, its weights file and a metadata JSON of a done trial with a stored model. */
  exportModel(trialId: string): Promise<void>;
  /** Stops the search and closes the database (tests, page unload). */
  dispose(): void;
}

export interface StudioOptions {
  /** IndexedDB database name; tests pass a fresh one. */
  dbName?: string;
}

export function createStudio(options: StudioOptions = {}): Studio {
  const store = useStudioStore;
  let db: StudioDb | null = null;
  let controller: AbortController | null = null;
  let pool: WorkerPool | null = null;

  const notify = (error: unknown, action: string) => {
    const message = error instanceof Error ? error.message : String(error);
    log.error(`failed to ${action}`, error);
    store.getState().pushNotice('error', `Could not ${action}: ${message}`);
  };

  /** Wraps an action so that any error it throws becomes a notice instead of an unhandled rejection. */
  const guarded =
    <Args extends unknown[]>(action: string, body: (...args: Args) => Promise<void>) =>
    async (...args: Args): Promise<void> => {
      try {
        await body(...args);
      } catch (error) {
        notify(error, action);
      }
    };

  const requireDb = (): StudioDb => {
    if (db === null) {
      throw new NasError('storage_failed', 'the database is not open (see the notice above); reload the page to try again');
    }
    return db;
  };

  const refreshRuns = async () => {
    const database = requireDb();
    const records = await storage.listRuns(database);
    const summaries: RunSummary[] = [];
    for (const record of records) {
      const trials = await storage.listTrials(database, record.id);
      summaries.push({ record, trialsDone: trials.filter((trial) => FINAL_TRIAL_STATUSES.has(trial.status)).length });
    }
    store.getState().setRuns(summaries);
  };

  const refreshSpaces = async () => {
    const records = await storage.listSpaces(requireDb());
    store.getState().setSavedSpaces(records.map((record) => ({ ...record, name: record.space.name })));
  };

  const showStoredRun = async (runId: string) => {
    const database = requireDb();
    const record = await storage.getRun(database, runId);
    if (record === undefined) throw new NasError('not_found', `run ${runId} is not stored any more: pick a run from the list`);
    const trials = await storage.listTrials(database, runId);
    const modelKeys = await database.getAllKeysFromIndex('models', 'byRun', runId);
    store.getState().showRun(record, trials, frontIdsOf(trials, record), modelKeys);
  };

  const launch = async (record: RunRecord, trials: Trial[]) => {
    const database = requireDb();
    const state = store.getState();
    const runStore = storage.createIdbRunStore(database);
    controller = new AbortController();
    pool = new WorkerPool({ size: record.config.workers, backend: record.config.backend });
    const unsubscribe = pool.subscribe((status) => store.getState().setWorkers(workerViews(status)));

    state.setActiveRunId(record.id);
    state.setProgress(null);

    // Storage failures during the run become notices and are rethrown, so the loop fails the run.
    // Every saved record also refreshes the shown run (status, message, hypervolume history).
    const observedStore = observeRunStore(runStore, {
      onError: notify,
      onRunSaved: (run) => {
        const after = store.getState();
        after.updateRun(run);
        const trialsDone = after.trials.filter((trial) => trial.runId === run.id && FINAL_TRIAL_STATUSES.has(trial.status)).length;
        after.updateRunSummary({ record: run, trialsDone });
      },
      onTrialSaved: (trial, hasModel) => {
        if (hasModel) store.getState().addModelTrialId(trial.id);
      },
    });

    try {
      if (STRATEGIES[record.config.strategy.name]?.needsTensorBackend === true) await prepareStrategyBackend();
      const signal = controller.signal;
      await withRunLock(record, () =>
        runSearch({
          record,
          trials,
          evaluator: pool as WorkerPool,
          store: observedStore,
          signal,
          onEvent: (event) => applyEvent(event),
        }),
      );
    } catch (error) {
      notify(error, `run the search ${record.config.name}`);
    } finally {
      unsubscribe();
      pool.dispose();
      pool = null;
      controller = null;
      const after = store.getState();
      after.setActiveRunId(null);
      after.setProgress(null);
      after.setWorkers([]);
      await refreshRuns().catch((error: unknown) => notify(error, 'list the stored runs'));
    }
  };

  const applyEvent = (event: RunEvent) => {
    const state = store.getState();
    switch (event.type) {
      case 'trial-updated':
        state.upsertTrial(event.trial);
        break;
      case 'front-changed':
        state.setFront(event.front);
        break;
      case 'progress':
        state.setProgress({ done: event.done, budget: event.budget, elapsedMs: event.elapsedMs, etaMs: event.etaMs, at: Date.now() });
        break;
      case 'status':
        // The record with this status reaches the store through observedStore.saveRun.
        break;
    }
  };

  return {
    async init() {
      const state = store.getState();
      const preset = PRESET_SPACES.find((candidate) => candidate.space.family === 'sequential') ?? PRESET_SPACES[0];
      state.loadSpace(structuredClone(preset.space), preset.id);
      state.setRunForm(configToForm(defaultRunConfig(preset.space)));

      try {
        db = await storage.openStudioDb({
          name: options.dbName,
          onVersionChange: () =>
            store
              .getState()
              .pushNotice('error', 'A newer version of NAS Studio opened its database in another tab, so this tab closed it. Reload this page.'),
          onBlocked: () =>
            store
              .getState()
              .pushNotice('warning', 'NAS Studio waits for another tab that keeps an older version of its database open. Close that tab.'),
        });
      } catch (error) {
        notify(error, 'open the database; runs and spaces will not be saved');
        return;
      }

      const interrupted: RunRecord[] = [];
      await guarded('mark runs of an earlier page as interrupted', async () => {
        const runningElsewhere = await heldRunLocks();
        for (const record of await storage.listRuns(requireDb())) {
          if (record.status !== 'running' || runningElsewhere.has(runLockName(record.id))) continue;
          await storage.saveRun(requireDb(), { ...record, status: 'interrupted', updatedAt: Date.now() });
          interrupted.push(record);
        }
      })();
      await guarded('list the stored runs', refreshRuns)();
      await guarded('list the saved spaces', refreshSpaces)();
      const newest = store.getState().runs[0];
      if (newest) await guarded('open the newest run', showStoredRun)(newest.record.id);
      if (interrupted.length > 0) {
        // A reload or a closed tab stopped these runs: show the newest so Resume is one click away.
        const names = interrupted.map((record) => `"${record.config.name}"`).join(', ');
        store
          .getState()
          .pushNotice('warning', `The search ${names} stopped when the page was reloaded or closed. Its finished trials are kept: press Resume search to continue.`);
        store.getState().showPage('results');
      }
    },

    saveSpace: guarded('save the space', async (space: SearchSpace) => {
      await storage.saveSpace(requireDb(), `space-${fileStem(space.name)}`, space);
      await refreshSpaces();
      store.getState().pushNotice('info', `Saved space "${space.name}".`);
    }),

    deleteSpace: guarded('delete the space', async (id: string) => {
      await storage.deleteSpace(requireDb(), id);
      await refreshSpaces();
    }),

    startSearch: guarded('start the search', async () => {
      const state = store.getState();
      const form = state.runForm;
      const pageSpace = state.space;
      if (form === null || pageSpace === null) return;
      const space = form.spaceId === '' ? pageSpace : state.savedSpaces.find((saved) => saved.id === form.spaceId)?.space;
      if (space === undefined) {
        state.setRunErrors({ space: 'The chosen saved space no longer exists: pick another space.' });
        return;
      }

      let config: RunConfig;
      try {
        config = validateRunConfig(formToConfig(form, space, defaultRunConfig(space), STRATEGIES));
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error;
        state.setRunErrors({ [error.field]: error.message });
        return;
      }
      const infeasible = checkFeasibility(config);
      if (infeasible !== undefined) {
        state.setRunErrors({}, `No architecture meets the constraints, so nothing was trained: ${infeasible.message}`);
        return;
      }
      state.setRunErrors({});

      const now = Date.now();
      const record: RunRecord = {
        id: crypto.randomUUID(),
        config,
        status: 'running',
        createdAt: now,
        updatedAt: now,
        state: { toldCount: 0, strategyState: null, proposedCount: 0, hypervolume: [] },
      };
      await storage.saveRun(requireDb(), record);
      state.showRun(record, [], [], []);
      state.showPage('results');
      await refreshRuns();
      await launch(record, []);
    }),

    stopSearch() {
      controller?.abort();
    },

    resumeSearch: guarded('resume the search', async (runId: string) => {
      if (controller !== null) throw new NasError('invalid_config', 'a search is already running: stop it before resuming another run');
      await showStoredRun(runId);
      const state = store.getState();
      const record = state.shownRun;
      if (record === null) return;
      state.showPage('results');
      await launch(record, state.trials);
    }),

    openRun: guarded('open the run', async (runId: string) => {
      await showStoredRun(runId);
      store.getState().showPage('results');
    }),

    deleteRun: guarded('delete the run', async (runId: string) => {
      if (store.getState().activeRunId === runId) throw new NasError('invalid_config', 'the run is still searching: stop it first');
      await storage.deleteRun(requireDb(), runId);
      if (store.getState().shownRun?.id === runId) store.getState().clearResults();
      await refreshRuns();
    }),

    exportRun: guarded('export the run', async (runId: string) => {
      const bundle = await storage.exportRunBundle(requireDb(), runId);
      downloadFile(`${fileStem(bundle.run.config.name)}.run.json`, JSON.stringify(bundle, null, 2));
    }),

    importRun: guarded('import the run bundle', async (json: string) => {
      let value: unknown;
      try {
        value = JSON.parse(json);
      } catch (error) {
        throw new NasError('invalid_config', `the file is not valid JSON (${(error as Error).message}): choose a run bundle exported by NAS Studio`);
      }
      const record = await storage.importRunBundle(requireDb(), value);
      await refreshRuns();
      store.getState().pushNotice('info', `Imported run "${record.config.name}".`);
    }),

    exportModel: guarded('export the model', async (trialId: string) => {
      const database = requireDb();
      const state = store.getState();
      const run = state.shownRun;
      const trial = state.trials.find((candidate) => candidate.id === trialId);
      const stored = await storage.getModel(database, trialId);
      if (run === null || trial === undefined || trial.metrics === undefined || stored === undefined) {
        throw new NasError('not_found', `trial ${trial?.index ?? trialId} has no stored model: export a done trial of the open run`);
      }
      if (stored.reference === undefined) {
        throw new NasError('not_found', `the model of trial ${trial.index} was stored without reference predictions, so its metadata cannot be written: run the search again to export it`);
      }
      const baseName = `${fileStem(run.config.name)}-trial-${trial.index}`;
      const { modelJson, weights } = savedModelToFiles(stored.model, baseName);
      const metadata = exportMetadata({
        space: run.config.space,
        arch: trial.arch,
        metrics: trial.metrics,
        inputShape: MNIST_INPUT.inputShape,
        numClasses: MNIST_INPUT.numClasses,
        reference: stored.reference,
        dataset: run.config.dataset.name,
        trialId,
      });
      downloadFile(`${baseName}.model.json`, JSON.stringify(modelJson));
      downloadFile(`${baseName}.weights.bin`, new Blob([weights], { type: 'application/octet-stream' }));
      downloadFile(`${baseName}.metadata.json`, JSON.stringify(metadata, null, 2));
    }),

    dispose() {
      controller?.abort();
      pool?.dispose();
      db?.close();
      db = null;
    },
  };
}

/** Ids of the trials on the accuracy/cost front of a run. */
function frontIdsOf(trials: Trial[], record: RunRecord): string[] {
  return computeFront(trials, record.config.costObjective).map((point) => point.id);
}

function workerViews(status: PoolStatus): WorkerView[] {
  const trials = useStudioStore.getState().trials;
  return status.workers.map((worker) => ({
    id: worker.workerId,
    state: worker.state,
    backend: worker.backend,
    trialId: worker.trialId,
    trialIndex: trials.find((trial) => trial.id === worker.trialId)?.index,
    error: worker.lastError?.message,
    probe: worker.probe,
    fallback: worker.fallback,
    progress: worker.progress,
  }));
}

/** Name of the Web Lock that the tab running a search holds for its whole duration. */
function runLockName(runId: string): string {
  return `nas-studio-run-${runId}`;
}

/** Names of the run locks held by any tab of this origin; empty where the browser has no Web Locks. */
async function heldRunLocks(): Promise<Set<string>> {
  const snapshot = await globalThis.navigator?.locks?.query();
  return new Set((snapshot?.held ?? []).map((lock) => lock.name ?? ''));
}

/**
 * Runs `search` while holding the run's Web Lock, so another tab neither marks
 * the run interrupted nor resumes it at the same time. Throws when another tab
 * holds the lock.
 */
async function withRunLock<T>(record: RunRecord, search: () => Promise<T>): Promise<T> {
  const locks = globalThis.navigator?.locks;
  if (locks === undefined) return search();
  return locks.request(runLockName(record.id), { ifAvailable: true }, async (lock) => {
    if (lock === null) {
      throw new NasError(
        'internal',
        `The search "${record.config.name}" is running in another tab: stop it there, or close that tab, before resuming it here.`,
      );
    }
    return search();
  });
}

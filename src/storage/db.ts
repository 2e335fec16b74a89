// IndexedDB schema of the studio and the connection lifecycle: opening,
// migrating between schema versions, and stepping aside when another tab
// opens a newer version.
import { openDB, type DBSchema, type IDBPDatabase, type IDBPTransaction, type StoreNames } from 'idb';
import { createLogger } from '../core/log';
import type { ReferencePredictions, RunRecord, SavedModel, TrainingCheckpoint, Trial } from '../core/run/types';
import type { SearchSpace } from '../core/space/types';
import { toStorageError } from './errors';

const log = createLogger('storage');

export const STUDIO_DB_NAME = 'nas-studio';

/** Schema version this build writes. Raise it and add a case to `migrateFrom` to change the schema. */
export const STUDIO_DB_VERSION = 2;

/** A search space the user saved, keyed by `id`; the display name is `space.name`. */
export interface SpaceRecord {
  id: string;
  space: SearchSpace;
  /** Milliseconds since the Unix epoch. */
  savedAt: number;
}

/** The trained model of one done trial, keyed by `trialId`. */
export interface ModelRecord {
  trialId: string;
  runId: string;
  model: SavedModel;
  /** Predictions on a few test images, when the evaluator produced them. */
  reference?: ReferencePredictions;
  /** Milliseconds since the Unix epoch. */
  savedAt: number;
}

/** The training checkpoint of a trial that a scheduler may still promote, keyed by `trialId`. */
export interface CheckpointRecord {
  trialId: string;
  checkpoint: TrainingCheckpoint;
  /** Milliseconds since the Unix epoch. */
  savedAt: number;
}

export interface StudioDbSchema extends DBSchema {
  runs: { key: string; value: RunRecord };
  /** `byRun` orders a run's trials by proposal index: key [runId, index]. */
  trials: { key: string; value: Trial; indexes: { byRun: [string, number] } };
  spaces: { key: string; value: SpaceRecord };
  /** `byRun` finds the models of a run, so deleting a run removes them. */
  models: { key: string; value: ModelRecord; indexes: { byRun: string } };
  /** Added in version 2. A run's checkpoints are found through its trial ids. */
  checkpoints: { key: string; value: CheckpointRecord };
}

export type StudioDb = IDBPDatabase<StudioDbSchema>;
export type StudioStoreName = StoreNames<StudioDbSchema>;
type UpgradeTransaction = IDBPTransaction<StudioDbSchema, StudioStoreName[], 'versionchange'>;

export interface OpenStudioDbOptions {
  /** Database name; tests pass a fresh one. Default 'nas-studio'. */
  name?: string;
  /**
   * Schema version to open. Default STUDIO_DB_VERSION. Tests pass a higher
   * one to play the part of a newer build in another tab.
   */
  version?: number;
  /**
   * Called after this connection closed itself because another tab opened a
   * newer schema version. Every later call on the connection fails, so the
   * UI should ask the user to reload the page.
   */
  onVersionChange?: () => void;
  /**
   * Called when this tab's upgrade waits for an older tab that keeps the
   * database open. The open completes once that tab closes its connection,
   * so the UI should ask the user to close the other tab.
   */
  onBlocked?: (info: { currentVersion: number; requestedVersion: number }) => void;
}

/** Key range of the trials `byRun` index that covers every trial of one run. */
export function trialsOfRunRange(runId: string): IDBKeyRange {
  return IDBKeyRange.bound([runId, -Infinity], [runId, Infinity]);
}

/**
 * Opens (creating or migrating as needed) the studio database.
 *
 * Throws NasError 'storage_failed' when IndexedDB is unavailable or the
 * stored database is newer than `version` (an older build in this tab), and
 * 'storage_quota' when the upgrade does not fit in the quota.
 */
export async function openStudioDb(options: OpenStudioDbOptions = {}): Promise<StudioDb> {
  const name = options.name ?? STUDIO_DB_NAME;
  const version = options.version ?? STUDIO_DB_VERSION;
  try {
    const db = await openDB<StudioDbSchema>(name, version, {
      upgrade(database, oldVersion, newVersion, transaction) {
        log.info(`upgrading database ${name} from version ${oldVersion} to ${newVersion ?? version}`);
        upgradeStudioSchema(database, oldVersion, newVersion ?? version, transaction);
      },
      blocked(currentVersion, blockedVersion) {
        log.warn(`opening database ${name} at version ${version} waits for another tab that keeps version ${currentVersion} open`);
        options.onBlocked?.({ currentVersion, requestedVersion: blockedVersion ?? version });
      },
      blocking(currentVersion, blockedVersion) {
        log.info(`closing database ${name} version ${currentVersion} because another tab opens version ${blockedVersion}`);
        db.close();
        options.onVersionChange?.();
      },
      terminated() {
        log.error(`the browser closed database ${name} unexpectedly (storage cleared or disk error)`);
      },
    });
    return db;
  } catch (error) {
    if (error instanceof DOMException && error.name === 'VersionError') {
      throw toStorageError(
        error,
        `open database ${name} at version ${version} because it was already upgraded by a newer build of the studio; reload the page to load that build`,
      );
    }
    throw toStorageError(error, `open database ${name}`);
  }
}

/**
 * Migrates the schema one version at a time from `oldVersion` (0 for a new
 * database) to `newVersion`, inside the upgrade transaction.
 */
export function upgradeStudioSchema(
  db: IDBPDatabase<StudioDbSchema>,
  oldVersion: number,
  newVersion: number,
  transaction: UpgradeTransaction,
): void {
  for (let from = oldVersion; from < newVersion; from++) {
    migrateFrom(from, db, transaction);
  }
}

function migrateFrom(from: number, db: IDBPDatabase<StudioDbSchema>, _transaction: UpgradeTransaction): void {
  switch (from) {
    case 0: {
      db.createObjectStore('runs', { keyPath: 'id' });
      const trials = db.createObjectStore('trials', { keyPath: 'id' });
      trials.createIndex('byRun', ['runId', 'index']);
      db.createObjectStore('spaces', { keyPath: 'id' });
      const models = db.createObjectStore('models', { keyPath: 'trialId' });
      models.createIndex('byRun', 'runId');
      break;
    }
    case 1:
      db.createObjectStore('checkpoints', { keyPath: 'trialId' });
      break;
    default:
      // NOTE: no version above 2 changes the schema yet. Tests open
      // STUDIO_DB_VERSION + 1 to act as a newer tab. A real migration replaces this default.
      break;
  }
}

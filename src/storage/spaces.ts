// Repository of search spaces the user saved from the space editor.
import type { SearchSpace } from '../core/space/types';
import type { SpaceRecord, StudioDb } from './db';
import { readInTransaction, writeInTransaction } from './transaction';

/** Inserts or replaces a saved space under `id`; returns the stored record with `savedAt` set to now. */
export async function saveSpace(db: StudioDb, id: string, space: SearchSpace): Promise<SpaceRecord> {
  const record: SpaceRecord = { id, space, savedAt: Date.now() };
  await writeInTransaction(db, ['spaces'], `save space ${id} (${space.name})`, async (transaction) => {
    await transaction.objectStore('spaces').put(record);
  });
  return record;
}

/** Returns the saved space with this id, or undefined when there is none. */
export async function getSpace(db: StudioDb, id: string): Promise<SpaceRecord | undefined> {
  return readInTransaction(db, ['spaces'], `read space ${id}`, (transaction) =>
    transaction.objectStore('spaces').get(id),
  );
}

/** Returns every saved space, most recently saved first. */
export async function listSpaces(db: StudioDb): Promise<SpaceRecord[]> {
  const spaces = await readInTransaction(db, ['spaces'], 'list spaces', (transaction) =>
    transaction.objectStore('spaces').getAll(),
  );
  return spaces.sort((a, b) => b.savedAt - a.savedAt);
}

/** Deletes a saved space. Deleting a missing space does nothing. */
export async function deleteSpace(db: StudioDb, id: string): Promise<void> {
  await writeInTransaction(db, ['spaces'], `delete space ${id}`, async (transaction) => {
    await transaction.objectStore('spaces').delete(id);
  });
}

// Public surface of the storage layer: the studio database, its
// repositories, the run loop's RunStore and run bundles.
export * from './db';
export { toStorageError } from './errors';
export * from './runs';
export * from './trials';
export * from './models';
export * from './spaces';
export * from './run-store';
export * from './bundle';

// Public surface of the workers layer: the Web Worker pool that evaluates
// candidates in the browser, and its status types.
export { WorkerPool, defaultPoolSize, DEFAULT_INIT_TIMEOUT_MS } from './pool';
export type { PoolStatus, WorkerPoolOptions, WorkerState, WorkerStatus } from './pool';
export type { TrainerApi, TrainerInfo, TrainerInitOptions } from './protocol';

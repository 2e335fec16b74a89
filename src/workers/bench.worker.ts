// Web Worker entry point of the Benchmarks page: runs one benchmark with the
// core harness off the main thread and streams its progress. Exposed with
// comlink; see benchProtocol.ts for the contract.
import * as Comlink from 'comlink';
import { toPlainError } from '../core/errors';
import { createLogger } from '../core/log';
import type { BenchWorkerApi } from './benchProtocol';
import { runBenchRequest } from './benchRunner';

const log = createLogger('worker');

const api: BenchWorkerApi = {
  async run(request, onEvent) {
    try {
      return await runBenchRequest(request, (event) => {
        // Events are best effort: the page may have stopped listening.
        Promise.resolve(onEvent(event)).catch(() => undefined);
      });
    } catch (error) {
      const plain = toPlainError(error);
      if (plain.code === 'internal') log.error('benchmark failed', error);
      throw plain;
    }
  },
};

Comlink.expose(api);

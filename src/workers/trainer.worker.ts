// Web Worker entry point that trains candidates: it loads the MNIST asset and
// chooses a tfjs backend once (by probing for 'auto'), then evaluates requests
// from the pool one at a time. Exposed with comlink; see protocol.ts for the contract.
import * as Comlink from 'comlink';
import { NasError, toPlainError } from '../core/errors';
import { createLogger } from '../core/log';
import type { EvaluationRequest, EvaluationResult } from '../core/run/types';
import { BackendSession, DatasetTensorCache, decodeMnist, describeDevice, setWasmThreadCount, splitDataset } from '../engine';
import type { DatasetSplit, ImageDataset } from '../engine';
import type { TrainerApi, TrainerInfo, TrainerInitOptions } from './protocol';

const log = createLogger('worker');

let dataset: ImageDataset | null = null;
let session: BackendSession | null = null;
/** Splits by their sizes, because splitting shuffles every class of the dataset. */
const splits = new Map<string, DatasetSplit>();
/** Tensors of the most recent split on the active backend, reused by every candidate that uses that split. */
const tensorCache = new DatasetTensorCache();

async function fetchDataset(dataUrl: string): Promise<ImageDataset> {
  let response: Response;
  try {
    response = await fetch(dataUrl);
  } catch (error) {
    throw new NasError('internal', `fetching the dataset ${dataUrl} failed: ${String(error)}; check that the page's server is running`, { cause: error });
  }
  if (!response.ok) {
    throw new NasError(
      'internal',
      `fetching the dataset ${dataUrl} failed with HTTP ${response.status}: run \`npm run data\` to build public/data/mnist.bin`,
    );
  }
  return decodeMnist(await response.arrayBuffer());
}

function splitFor(request: EvaluationRequest, data: ImageDataset): DatasetSplit {
  const { trainSize, validationSize, testSize } = request.dataset;
  const key = `${trainSize}/${validationSize}/${testSize}`;
  let split = splits.get(key);
  if (split === undefined) {
    split = splitDataset(data, { trainSize, validationSize, testSize });
    splits.set(key, split);
  }
  return split;
}

const api: TrainerApi = {
  async init(options: TrainerInitOptions): Promise<TrainerInfo> {
    try {
      if (options.wasmThreads !== undefined) setWasmThreadCount(options.wasmThreads);
      const [data, created] = await Promise.all([fetchDataset(options.dataUrl), BackendSession.create(options.backend)]);
      dataset = data;
      session = created;
      const device = describeDevice();
      log.debug(`initialised ${created.active} on ${device} with ${data.count} images`);
      return { backend: created.active, device, probe: created.probe };
    } catch (error) {
      throw toPlainError(error);
    }
  },

  async evaluate(request, onProgress): Promise<EvaluationResult> {
    if (dataset === null || session === null) {
      throw toPlainError(new NasError('internal', `trial ${request.trialId} was sent before init completed: call init first`));
    }

    let split: DatasetSplit;
    try {
      split = splitFor(request, dataset);
    } catch (error) {
      return { status: 'failed', curve: [], error: toPlainError(error) };
    }

    try {
      const result = await session.evaluate(
        request,
        { dataset, split, tensorCache },
        {
          onProgress: (progress) => {
            // The pool may have dropped the proxy after a cancel; progress is best effort.
            Promise.resolve(onProgress(progress)).catch(() => undefined);
          },
        },
      );
      return Comlink.transfer(result, transferableBuffers(result));
    } catch (error) {
      throw toPlainError(error);
    }
  },
};

/** Buffers of a result moved to the pool instead of copied: the model weights and a checkpoint's tensors. */
function transferableBuffers(result: EvaluationResult): ArrayBuffer[] {
  const buffers: ArrayBuffer[] = [];
  if (result.model !== undefined) buffers.push(result.model.weightData);
  const checkpoint = result.checkpoint;
  if (checkpoint !== undefined) {
    buffers.push(checkpoint.weights.data, checkpoint.optimizer.data);
    if (checkpoint.bestWeights !== undefined) buffers.push(checkpoint.bestWeights.data);
  }
  return buffers;
}

Comlink.expose(api);

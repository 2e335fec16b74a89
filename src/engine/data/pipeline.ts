// Keeps the train, validation and test tensors of one dataset split on the
// active backend, so a worker converts the images once per dataset config
// and backend instead of once per candidate.
import * as tf from '@tensorflow/tfjs';
import type { LabelledTensors } from '../train';
import type { DatasetSplit, ImageDataset } from './mnist';
import { toTensors } from './tensors';

/** Tensors of the three splits, in split order. */
export interface SplitTensors {
  train: LabelledTensors;
  validation: LabelledTensors;
  test: LabelledTensors;
}

interface Entry {
  dataset: ImageDataset;
  split: DatasetSplit;
  backend: string;
  tensors: SplitTensors;
}

/**
 * Caches the tensors of the most recent (dataset, split, backend). Splits
 * and datasets are compared by identity, so callers pass the same objects
 * again, as the trainer worker's split map does. A new key disposes the
 * previous tensors first, so at most one split is kept on the backend.
 */
export class DatasetTensorCache {
  private entry: Entry | null = null;

  /**
   * Returns the tensors of `split` on the active backend, building them on
   * the first call for this key. The cache owns them: callers must not
   * dispose them, and they stay valid until the next call with another key
   * or dispose().
   */
  get(dataset: ImageDataset, split: DatasetSplit): SplitTensors {
    const backend = tf.getBackend();
    const entry = this.entry;
    if (entry !== null && entry.dataset === dataset && entry.split === split && entry.backend === backend) {
      return entry.tensors;
    }
    this.dispose();
    const tensors = createSplitTensors(dataset, split);
    this.entry = { dataset, split, backend, tensors };
    return tensors;
  }

  /** Number of cached tensors: 6 while a split is cached, else 0. */
  get tensorCount(): number {
    return this.entry === null ? 0 : 6;
  }

  /** Disposes the cached tensors. */
  dispose(): void {
    if (this.entry === null) return;
    disposeSplitTensors(this.entry.tensors);
    this.entry = null;
  }
}

/** Builds the tensors of the three splits; on an error, disposes those already built and rethrows. */
export function createSplitTensors(dataset: ImageDataset, split: DatasetSplit): SplitTensors {
  const created: LabelledTensors[] = [];
  try {
    for (const indices of [split.train, split.validation, split.test]) {
      created.push(toTensors(dataset, indices));
    }
  } catch (error) {
    tf.dispose(created.flatMap((part) => [part.xs, part.labels]));
    throw error;
  }
  const [train, validation, test] = created;
  return { train, validation, test };
}

export function disposeSplitTensors(tensors: SplitTensors): void {
  tf.dispose([tensors.train, tensors.validation, tensors.test].flatMap((part) => [part.xs, part.labels]));
}

// Turns a trained model's artifacts into the files a user downloads: a tfjs
// Layers model.json with its weights file, and a metadata JSON that
// describes the input, the classes, the metrics and reference predictions.
import * as tf from '@tensorflow/tfjs';
import type { ReferencePredictions, SavedModel, TrialMetrics } from '../core/run/types';
import type { Architecture, SearchSpace } from '../core/space/types';

/** The contents of model.json of the tfjs Layers format. */
export interface LayersModelJson {
  format: 'layers-model';
  generatedBy: string;
  convertedBy: null;
  modelTopology: object;
  weightsManifest: { paths: string[]; weights: SavedModel['weightSpecs'] }[];
}

/**
 * Builds model.json and the weights file for `saved`. The manifest points at
 * `${baseName}.weights.bin`, so save the weights under that name next to
 * model.json; tf.loadLayersModel then loads the pair.
 */
export function savedModelToFiles(saved: SavedModel, baseName: string): { modelJson: LayersModelJson; weights: ArrayBuffer } {
  return {
    modelJson: {
      format: 'layers-model',
      generatedBy: `TensorFlow.js tfjs-layers v${tf.version_layers}`,
      convertedBy: null,
      modelTopology: saved.modelTopology,
      weightsManifest: [{ paths: [`${baseName}.weights.bin`], weights: saved.weightSpecs }],
    },
    weights: saved.weightData,
  };
}

export interface ExportMetadataInput {
  space: SearchSpace;
  arch: Architecture;
  metrics: TrialMetrics;
  /** [height, width, channels] of one input image. */
  inputShape: [number, number, number];
  numClasses: number;
  reference: ReferencePredictions;
  /** Dataset id, e.g. 'mnist'. */
  dataset: string;
  trialId?: string;
}

/** Metadata written next to an exported model. */
export interface ExportMetadata {
  format: 'nas-studio-model';
  version: 1;
  dataset: string;
  trialId?: string;
  space: { name: string; family: SearchSpace['family'] };
  architecture: Architecture;
  metrics: TrialMetrics;
  /** Input of the model: [1, ...inputShape] float32. */
  inputShape: [number, number, number];
  /** The model expects pixel * scale + offset, i.e. uint8 pixels mapped to [0, 1]. */
  normalization: { scale: number; offset: number };
  /** Class name of each output index. */
  classNames: string[];
  reference: ReferencePredictions;
  tfjsVersion: string;
  /** Unit of `metrics.flops`. */
  flopsConvention: 'multiply-accumulates';
}

/** Collects the metadata of an exported model; plain JSON. */
export function exportMetadata(input: ExportMetadataInput): ExportMetadata {
  return {
    format: 'nas-studio-model',
    version: 1,
    dataset: input.dataset,
    ...(input.trialId === undefined ? {} : { trialId: input.trialId }),
    space: { name: input.space.name, family: input.space.family },
    architecture: input.arch,
    metrics: input.metrics,
    inputShape: input.inputShape,
    normalization: { scale: 1 / 255, offset: 0 },
    classNames: Array.from({ length: input.numClasses }, (_, i) => String(i)),
    reference: input.reference,
    tfjsVersion: tf.version.tfjs,
    flopsConvention: 'multiply-accumulates',
  };
}

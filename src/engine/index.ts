// The engine's public surface for workers, the CLI and UI facades: backend
// selection, the MNIST data, model building, training, evaluation, latency
// and export. Node-only loading lives in ./data/mnistNode and is not re-exported.
export { initBackend, describeDevice, setWasmThreadCount } from './backend';
export { decodeMnist, splitDataset, SPLIT_SEED } from './data/mnist';
export type { ImageDataset, DatasetSplit, SplitSizes } from './data/mnist';
export { buildModel } from './build';
export { countModelFlops } from './modelFlops';
export { trainModel, computeAccuracy, scheduledLearningRate, validateTrainingConfig, DIVERGENCE_FACTOR } from './train';
export type { TrainOptions, TrainProgress, TrainResult, LabelledTensors } from './train';
export { measureLatency } from './latency';
export type { LatencyOptions } from './latency';
export { evaluateCandidate, REFERENCE_IMAGES } from './evaluate';
export type { EvaluationData, EvaluationOptions } from './evaluate';
export { savedModelToFiles, exportMetadata } from './export';
export type { LayersModelJson, ExportMetadata, ExportMetadataInput } from './export';
export { probeBackends, passedBackendsBySpeed, describeProbe, PROBE_BATCH_SIZE } from './probe';
export type { ProbeOptions } from './probe';
export { BackendSession, defaultProbeBackends } from './backendSession';
export type { BackendSessionOptions } from './backendSession';
export { DatasetTensorCache } from './data/pipeline';
export type { SplitTensors } from './data/pipeline';

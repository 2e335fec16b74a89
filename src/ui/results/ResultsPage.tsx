// Results page and live dashboard of the shown run: progress, workers,
// hypervolume, the Pareto frontier, best accuracy so far, operation
// frequency, the Trials table and the selected trial with "Export model".
import { useState } from 'react';
import { architectureOperations, describeArchitecture, MNIST_INPUT } from '../../core/space';
import type { Trial } from '../../core/run/types';
import { useStudio } from '../services/context';
import { useStudioStore } from '../store';
import { BestSoFarChart } from './BestSoFarChart';
import { COST_LABELS, isMeasured } from './chartData';
import { HypervolumeChart } from './HypervolumeChart';
import { OperationFrequencyChart } from './OperationFrequencyChart';
import { ParetoChart } from './ParetoChart';
import { ProgressPanel } from './ProgressPanel';
import { PrunedPanel } from './PrunedPanel';
import { epochTotals } from './schedule';
import { SelectedTrialPanel } from './SelectedTrialPanel';
import { TrialsTable } from './TrialsTable';
import { WorkerStatusPanel } from './WorkerStatusPanel';

const FINAL_STATUSES = new Set(['done', 'failed', 'diverged', 'pruned']);

export function ResultsPage() {
  const studio = useStudio();
  const run = useStudioStore((state) => state.shownRun);
  const trials = useStudioStore((state) => state.trials);
  const frontIds = useStudioStore((state) => state.frontIds);
  const modelTrialIds = useStudioStore((state) => state.modelTrialIds);
  const selectedTrialId = useStudioStore((state) => state.selectedTrialId);
  const selectTrial = useStudioStore((state) => state.selectTrial);
  const workers = useStudioStore((state) => state.workers);
  const activeRunId = useStudioStore((state) => state.activeRunId);
  const progress = useStudioStore((state) => state.progress);
  const [exporting, setExporting] = useState(false);

  if (run === null) {
    return (
      <div className="page">
        <p className="panel muted">No run is open. Start a search or open a stored run on the Run page.</p>
      </div>
    );
  }

  const running = activeRunId === run.id;
  const resumable = activeRunId === null && run.status !== 'completed' && run.status !== 'running';
  const objective = run.config.costObjective;
  const measured = trials.filter(isMeasured);
  const done = trials.filter((trial) => FINAL_STATUSES.has(trial.status)).length;
  const selected = trials.find((trial) => trial.id === selectedTrialId) ?? null;
  const describe = (trial: Trial) => safeDescribe(trial);
  const topK = Math.max(1, Math.min(10, Math.ceil(measured.length / 4)));
  const hypervolume = run.state.hypervolume;
  const latestHypervolume = hypervolume.at(-1);
  // dataset.name is only 'mnist' so far, so its class count sets chance level.
  const chanceAccuracy = 1 / MNIST_INPUT.numClasses;

  const exportSelected = async () => {
    if (selected === null) return;
    setExporting(true);
    try {
      await studio.exportModel(selected.id);
    } finally {
      setExporting(false);
    }
  };

  return (
    <div className="page results-page">
      <header className="results-header">
        <h2>{run.config.name}</h2>
        <span className={`status status-${run.status}`} aria-label="Run status">
          {run.status}
        </span>
        <span className="muted">
          {run.config.space.name} ({run.config.space.family}), {run.config.strategy.name}, cost: {COST_LABELS[objective]}
        </span>
        <span className="hypervolume" aria-label="Hypervolume">
          Hypervolume: <strong>{latestHypervolume ? latestHypervolume.value.toPrecision(4) : '-'}</strong>
        </span>
        <span className="button-row">
          {running ? (
            <button type="button" onClick={() => studio.stopSearch()}>
              Stop search
            </button>
          ) : null}
          {resumable ? (
            <button type="button" onClick={() => void studio.resumeSearch(run.id)}>
              Resume search
            </button>
          ) : null}
        </span>
        {run.message ? <p className="run-message muted small">{run.message}</p> : null}
      </header>
      <div className="dashboard">
        <div className="dashboard-side">
          <ProgressPanel
            done={done}
            budget={run.config.budget}
            running={running}
            progress={running ? progress : null}
            epochs={epochTotals(run.config, trials)}
            storedElapsedMs={run.state.loop?.elapsedMs}
          />
          <PrunedPanel config={run.config} trials={trials} />
          <WorkerStatusPanel workers={running ? workers : []} autoBackend={run.config.backend === 'auto'} />
          <SelectedTrialPanel
            trial={selected}
            description={selected ? describe(selected) : ''}
            canExport={selected !== null && selected.status === 'done' && modelTrialIds.includes(selected.id)}
            exporting={exporting}
            onExport={() => void exportSelected()}
          />
        </div>
        <div className="charts">
          <ParetoChart
            trials={measured}
            frontIds={frontIds}
            objective={objective}
            selectedTrialId={selectedTrialId}
            onSelect={selectTrial}
            describe={describe}
            chanceAccuracy={chanceAccuracy}
          />
          <BestSoFarChart trials={trials} budget={run.config.budget} chanceAccuracy={chanceAccuracy} />
          <OperationFrequencyChart trials={trials} topK={topK} operationsOf={(trial) => architectureOperations(trial.arch)} />
          <HypervolumeChart points={hypervolume} />
        </div>
      </div>
      <section className="panel">
        <h3>Trials</h3>
        <TrialsTable trials={trials} live={running} selectedTrialId={selectedTrialId} onSelect={selectTrial} />
      </section>
    </div>
  );
}

function safeDescribe(trial: Trial): string {
  try {
    return describeArchitecture(trial.arch);
  } catch {
    return trial.hash;
  }
}

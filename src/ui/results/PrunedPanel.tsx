// Dashboard panel counting trials that the curve stop or the predictor
// filter pruned, and the epochs the curve stop saved. It is shown only for
// a run that has either setting.
import type { RunConfig, Trial } from '../../core/run/types';
import { pruneCounts } from './pruneCounts';

interface PrunedPanelProps {
  config: RunConfig;
  trials: readonly Trial[];
}

export function PrunedPanel({ config, trials }: PrunedPanelProps) {
  const estimation = config.estimation;
  if (estimation?.curveStop === undefined && estimation?.predictorFilter === undefined) return null;
  const counts = pruneCounts(trials, config.training.epochs);
  return (
    <section className="panel pruned-panel" aria-label="Pruned trials">
      <h3>Pruned trials</h3>
      <dl className="facts">
        {estimation.curveStop !== undefined ? (
          <>
            <dt>Curve stop</dt>
            <dd>
              {counts.curveStopped} stopped, {counts.epochsSaved} epochs saved
            </dd>
          </>
        ) : null}
        {estimation.predictorFilter !== undefined ? (
          <>
            <dt>Predictor filter</dt>
            <dd>{counts.filtered} skipped before training</dd>
          </>
        ) : null}
      </dl>
    </section>
  );
}

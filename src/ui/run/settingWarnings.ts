// Warnings for Run-page settings that are valid but can never act with the
// rest of the form, e.g. a curve stop that would start predicting only after
// the last epoch. They show next to the control and do not block a start.
import type { RunFormValues } from '../store/runSlice';

/** Warning text per Run-page control, keyed by the form field the warning belongs to. */
export interface SettingWarnings {
  curveMinEpochs?: string;
  predictorMinTrials?: string;
  weightInheritance?: string;
}

/**
 * Returns a warning for each enabled setting that cannot take effect. A
 * field that is not a number gets no warning here, because
 * validateRunConfig already rejects it with a message at the field.
 */
export function unreachableSettingWarnings(form: RunFormValues): SettingWarnings {
  const warnings: SettingWarnings = {};
  const epochs = numberOrUndefined(form.epochs);
  const budget = numberOrUndefined(form.budget);

  const minEpochs = numberOrUndefined(form.stopFilter.curveMinEpochs);
  if (form.stopFilter.curveStop && minEpochs !== undefined && epochs !== undefined && minEpochs >= epochs) {
    warnings.curveMinEpochs =
      `Curve stop never acts: it predicts after ${minEpochs} epochs, but trials train ${epochs}. ` +
      `Set Min epochs before predicting below ${epochs} or raise Epochs.`;
  }

  const minTrials = numberOrUndefined(form.stopFilter.predictorMinTrials);
  if (form.stopFilter.predictorModel !== 'none' && minTrials !== undefined && budget !== undefined && minTrials >= budget) {
    warnings.predictorMinTrials =
      `Predictor filter never acts: it waits for ${minTrials} finished trials, but the budget is ${budget}. ` +
      `Set Min trials below ${budget} or raise Budget.`;
  }

  // Only regularized evolution implements Strategy.parentOf, the hook that
  // names the parent whose weights a child inherits.
  if (form.scheduler.weightInheritance && form.strategy !== 'evolution') {
    warnings.weightInheritance =
      'Weight inheritance never acts with this strategy: only Regularized evolution reports the parent of a candidate. ' +
      'Choose Regularized evolution or clear the box.';
  }
  return warnings;
}

function numberOrUndefined(text: string): number | undefined {
  if (text.trim() === '') return undefined;
  const value = Number(text);
  return Number.isFinite(value) ? value : undefined;
}

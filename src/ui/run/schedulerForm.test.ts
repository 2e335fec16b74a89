import { describe, expect, it } from 'vitest';
import { applySchedulerForm, estimationToSchedulerForm } from './schedulerForm';

describe('schedulerForm', () => {
  it('shows defaults without a scheduler', () => {
    expect(estimationToSchedulerForm(undefined)).toEqual({ kind: 'none', minEpochs: '1', eta: '3', weightInheritance: false });
  });

  it('round-trips a scheduler', () => {
    const estimation = { scheduler: { kind: 'successive-halving' as const, minEpochs: 2, eta: 2 } };
    expect(applySchedulerForm(undefined, estimationToSchedulerForm(estimation))).toEqual(estimation);
  });

  it('removes the scheduler for none and keeps other settings', () => {
    const estimation = {
      scheduler: { kind: 'hyperband' as const, minEpochs: 1, eta: 3 },
      curveStop: { kthBest: 3, probability: 0.95, minEpochs: 2 },
    };
    const form = { ...estimationToSchedulerForm(estimation), kind: 'none' as const };
    expect(applySchedulerForm(estimation, form)).toEqual({ curveStop: estimation.curveStop });
    expect(applySchedulerForm({ scheduler: estimation.scheduler }, form)).toBeUndefined();
  });

  it('sets and clears weight inheritance', () => {
    const form = { ...estimationToSchedulerForm(undefined), weightInheritance: true };
    expect(applySchedulerForm(undefined, form)).toEqual({ weightInheritance: true });
    expect(estimationToSchedulerForm({ weightInheritance: true }).weightInheritance).toBe(true);
    expect(applySchedulerForm({ weightInheritance: true }, { ...form, weightInheritance: false })).toBeUndefined();
  });

  it('passes typed numbers on for validation', () => {
    const result = applySchedulerForm(undefined, { kind: 'hyperband', minEpochs: '0', eta: 'x', weightInheritance: false });
    expect(result?.scheduler?.minEpochs).toBe(0);
    expect(result?.scheduler?.eta).toBe('x');
  });
});

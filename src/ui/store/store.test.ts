import { beforeEach, describe, expect, it } from 'vitest';
import type { RunRecord, Trial } from '../../core/run/types';
import { resetStudioStore, useStudioStore } from './index';

const run = { id: 'r1', status: 'running' } as RunRecord;

function trial(id: string, index: number, runId = 'r1'): Trial {
  return {
    id,
    runId,
    index,
    arch: { family: 'cell', edges: ['none', 'none', 'none', 'none', 'none', 'none'] },
    hash: id,
    seed: 0,
    epochs: 1,
    status: 'queued',
    curve: [],
  };
}

beforeEach(() => resetStudioStore());

describe('results slice', () => {
  it('upsertTrial keeps index order', () => {
    const state = useStudioStore.getState();
    state.showRun(run, [], [], []);
    state.upsertTrial(trial('b', 2));
    state.upsertTrial(trial('a', 0));
    state.upsertTrial({ ...trial('b', 2), status: 'done' });
    const trials = useStudioStore.getState().trials;
    expect(trials.map((t) => t.id)).toEqual(['a', 'b']);
    expect(trials[1].status).toBe('done');
  });

  it('upsertTrial ignores other runs', () => {
    useStudioStore.getState().showRun(run, [], [], []);
    useStudioStore.getState().upsertTrial(trial('x', 0, 'r2'));
    expect(useStudioStore.getState().trials).toEqual([]);
  });

  it('showRun clears the selection', () => {
    useStudioStore.getState().selectTrial('a');
    useStudioStore.getState().showRun(run, [trial('a', 0)], [], []);
    expect(useStudioStore.getState().selectedTrialId).toBeNull();
  });
});

describe('ui slice', () => {
  it('pushNotice shows a repeated message once', () => {
    useStudioStore.getState().pushNotice('error', 'Storage is full');
    useStudioStore.getState().pushNotice('error', 'Storage is full');
    expect(useStudioStore.getState().notices).toHaveLength(1);
  });

  it('dismissNotice removes it', () => {
    useStudioStore.getState().pushNotice('info', 'Saved');
    const [notice] = useStudioStore.getState().notices;
    useStudioStore.getState().dismissNotice(notice.id);
    expect(useStudioStore.getState().notices).toEqual([]);
  });
});

describe('resetStudioStore', () => {
  it('restores initial data and keeps actions', () => {
    const state = useStudioStore.getState();
    state.showPage('results');
    state.setActiveRunId('r1');
    state.loadSpace({ family: 'cell', name: 'c', ops: ['none'], cellsPerStage: 1, stemChannels: 8 });
    resetStudioStore();
    const after = useStudioStore.getState();
    expect(after.page).toBe('space');
    expect(after.activeRunId).toBeNull();
    expect(after.space).toBeNull();
    expect(typeof after.showPage).toBe('function');
  });
});

describe('space slice', () => {
  it('loadSpace raises the revision and clears the import error', () => {
    const state = useStudioStore.getState();
    state.setImportError({ field: 'depths', message: 'bad' });
    state.loadSpace({ family: 'cell', name: 'c', ops: ['none'], cellsPerStage: 1, stemChannels: 8 });
    const after = useStudioStore.getState();
    expect(after.spaceRevision).toBe(1);
    expect(after.importError).toBeNull();
  });

  it('editSpace keeps the revision', () => {
    useStudioStore.getState().editSpace({ family: 'cell', name: 'c', ops: ['none'], cellsPerStage: 1, stemChannels: 8 });
    expect(useStudioStore.getState().spaceRevision).toBe(0);
  });
});

describe('run slice', () => {
  const summary = (id: string, trialsDone: number) => ({ record: { id } as RunRecord, trialsDone });

  it('updateRunSummary replaces a listed run', () => {
    useStudioStore.getState().setRuns([summary('a', 0), summary('b', 0)]);
    useStudioStore.getState().updateRunSummary(summary('b', 3));
    expect(useStudioStore.getState().runs.map((run) => run.trialsDone)).toEqual([0, 3]);
  });

  it('updateRunSummary adds an unlisted run first', () => {
    useStudioStore.getState().setRuns([summary('a', 0)]);
    useStudioStore.getState().updateRunSummary(summary('c', 1));
    expect(useStudioStore.getState().runs.map((run) => run.record.id)).toEqual(['c', 'a']);
  });
});

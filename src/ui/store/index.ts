// The studio's zustand store: one slice per file, combined here. Actions live
// inside the store; resetStudioStore() restores the initial state (tests
// call it between cases).
import { create } from 'zustand';
import { createBenchSlice, initialBenchState, type BenchSlice } from './benchSlice';
import { createResultsSlice, initialResultsState, type ResultsSlice } from './resultsSlice';
import { createRunSlice, initialRunState, type RunSlice } from './runSlice';
import { createSpaceSlice, initialSpaceState, type SpaceSlice } from './spaceSlice';
import { createUiSlice, initialUiState, type UiSlice } from './uiSlice';
import { createWorkersSlice, initialWorkersState, type WorkersSlice } from './workersSlice';

export type StudioState = SpaceSlice & RunSlice & ResultsSlice & WorkersSlice & UiSlice & BenchSlice;

export const useStudioStore = create<StudioState>()((...args) => ({
  ...createSpaceSlice(...args),
  ...createRunSlice(...args),
  ...createResultsSlice(...args),
  ...createWorkersSlice(...args),
  ...createUiSlice(...args),
  ...createBenchSlice(...args),
}));

/** Restores every slice to its initial data; actions are kept. */
export function resetStudioStore(): void {
  useStudioStore.setState({
    ...initialSpaceState,
    ...initialRunState,
    ...initialResultsState,
    ...initialWorkersState,
    ...initialUiState,
    ...initialBenchState,
  });
}

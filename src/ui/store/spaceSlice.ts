// Store slice for the search space being edited: the space itself (always
// valid), the field errors of the edit form and of the last import, and the
// spaces saved in IndexedDB.
import type { StateCreator } from 'zustand';
import type { SearchSpace } from '../../core/space/types';
import type { StudioState } from './index';

/** A field error as shown next to a control: the ValidationError's field and message. */
export interface FieldError {
  field: string;
  message: string;
}

export interface SavedSpaceView {
  id: string;
  name: string;
  space: SearchSpace;
  savedAt: number;
}

export interface SpaceSlice {
  /** The space the Run page searches; only a validated space is stored here. */
  space: SearchSpace | null;
  /** Preset the space came from, or null after an import or a load. */
  presetId: string | null;
  /** Raised by loadSpace so the edit form drops its typed text and shows the new space. */
  spaceRevision: number;
  /** Error of the last JSON import, shown at the import control and the named field. */
  importError: FieldError | null;
  savedSpaces: SavedSpaceView[];
  /** Replaces the space from outside the form (preset, import, saved space). */
  loadSpace(space: SearchSpace, presetId?: string | null): void;
  /** Stores a space the edit form produced and validated. */
  editSpace(space: SearchSpace): void;
  setImportError(error: FieldError | null): void;
  setSavedSpaces(spaces: SavedSpaceView[]): void;
}

export const initialSpaceState = {
  space: null as SearchSpace | null,
  presetId: null as string | null,
  spaceRevision: 0,
  importError: null as FieldError | null,
  savedSpaces: [] as SavedSpaceView[],
};

export const createSpaceSlice: StateCreator<StudioState, [], [], SpaceSlice> = (set) => ({
  ...initialSpaceState,
  loadSpace(space, presetId = null) {
    set((state) => ({ space, presetId, importError: null, spaceRevision: state.spaceRevision + 1 }));
  },
  editSpace(space) {
    set({ space });
  },
  setImportError(importError) {
    set({ importError });
  },
  setSavedSpaces(savedSpaces) {
    set({ savedSpaces });
  },
});

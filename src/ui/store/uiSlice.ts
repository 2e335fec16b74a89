// Store slice for the page shown and for notices: storage errors (quota
// full, version change, blocked upgrade) and other messages the user must
// see instead of a crash.
import type { StateCreator } from 'zustand';
import type { StudioState } from './index';

export type NoticeKind = 'error' | 'warning' | 'info';

export interface Notice {
  id: number;
  kind: NoticeKind;
  message: string;
}

export type PageName = 'space' | 'run' | 'results' | 'benchmarks';

export interface UiSlice {
  page: PageName;
  notices: Notice[];
  showPage(page: PageName): void;
  /** Shows a notice; a notice with the same kind and message is shown once. */
  pushNotice(kind: NoticeKind, message: string): void;
  dismissNotice(id: number): void;
}

let nextNoticeId = 1;

export const initialUiState = { page: 'space' as PageName, notices: [] as Notice[] };

export const createUiSlice: StateCreator<StudioState, [], [], UiSlice> = (set) => ({
  ...initialUiState,
  showPage(page) {
    set({ page });
  },
  pushNotice(kind, message) {
    set((state) => {
      if (state.notices.some((notice) => notice.kind === kind && notice.message === message)) return state;
      return { notices: [...state.notices, { id: nextNoticeId++, kind, message }] };
    });
  },
  dismissNotice(id) {
    set((state) => ({ notices: state.notices.filter((notice) => notice.id !== id) }));
  },
});

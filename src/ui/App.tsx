// The studio shell: navigation between the Space, Run, Results and
// Benchmarks pages and the notices bar for storage errors.
import { BenchPage } from './bench/BenchPage';
import { PageErrorBoundary } from './common/PageErrorBoundary';
import { ResultsPage } from './results/ResultsPage';
import { RunPage } from './run/RunPage';
import { SpacePage } from './space/SpacePage';
import { useStudioStore } from './store';
import type { PageName } from './store/uiSlice';

const PAGES: { page: PageName; label: string }[] = [
  { page: 'space', label: 'Space' },
  { page: 'run', label: 'Run' },
  { page: 'results', label: 'Results' },
  { page: 'benchmarks', label: 'Benchmarks' },
];

export function App() {
  const page = useStudioStore((state) => state.page);
  const showPage = useStudioStore((state) => state.showPage);
  const activeRunId = useStudioStore((state) => state.activeRunId);

  return (
    <div className="app">
      <header className="app-header">
        <h1>NAS Studio</h1>
        <nav aria-label="Pages">
          {PAGES.map((item) => (
            <button
              key={item.page}
              type="button"
              className={item.page === page ? 'nav-item active' : 'nav-item'}
              aria-current={item.page === page ? 'page' : undefined}
              onClick={() => showPage(item.page)}
            >
              {item.label}
            </button>
          ))}
        </nav>
        {activeRunId !== null ? <span className="running-badge">search running</span> : null}
      </header>
      <Notices />
      <main>
        <PageErrorBoundary page={page}>
          {page === 'space' ? <SpacePage /> : null}
          {page === 'run' ? <RunPage /> : null}
          {page === 'results' ? <ResultsPage /> : null}
          {page === 'benchmarks' ? <BenchPage /> : null}
        </PageErrorBoundary>
      </main>
    </div>
  );
}

function Notices() {
  const notices = useStudioStore((state) => state.notices);
  const dismiss = useStudioStore((state) => state.dismissNotice);
  if (notices.length === 0) return null;
  return (
    <div className="notices" role="region" aria-label="Notices">
      {notices.map((notice) => (
        <div key={notice.id} className={`notice notice-${notice.kind}`} role={notice.kind === 'error' ? 'alert' : 'status'}>
          <span>{notice.message}</span>
          <button type="button" className="link" aria-label="Dismiss notice" onClick={() => dismiss(notice.id)}>
            Dismiss
          </button>
        </div>
      ))}
    </div>
  );
}

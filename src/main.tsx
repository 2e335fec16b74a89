// Browser entry point: creates the studio facade (database, worker pool, run
// loop), renders the app, then loads the stored spaces and runs.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './ui/App';
import { StudioContext } from './ui/services/context';
import { createStudio } from './ui/services/studio';
import './ui/styles.css';

const container = document.getElementById('root');
if (container === null) throw new Error('index.html must contain an element with id "root"');

const studio = createStudio();
createRoot(container).render(
  <StrictMode>
    <StudioContext.Provider value={studio}>
      <App />
    </StudioContext.Provider>
  </StrictMode>,
);
void studio.init();

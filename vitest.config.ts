import { defineConfig } from 'vitest/config';
import { playwright } from '@vitest/browser-playwright';
import { chromiumLaunchOptions } from './scripts/chromium';
import { CROSS_ORIGIN_ISOLATION_HEADERS } from './vite.config';

// Two projects: `unit` runs in plain Node (core, engine with tfjs's cpu
// backend), `browser` runs *.browser.test.ts files in Debian's Chromium so
// IndexedDB and Web Workers are the real ones.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          environment: 'node',
          include: ['src/**/*.test.ts', 'scripts/**/*.test.ts'],
          exclude: ['src/**/*.browser.test.ts', 'node_modules/**'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          globalSetup: ['scripts/vitest-global-setup.ts'],
        },
      },
      {
        // The same headers as the studio, so browser tests run cross-origin isolated like the page.
        server: { headers: CROSS_ORIGIN_ISOLATION_HEADERS },
        test: {
          name: 'browser',
          include: ['src/**/*.browser.test.ts'],
          testTimeout: 120_000,
          browser: {
            enabled: true,
            headless: true,
            provider: playwright({ launchOptions: chromiumLaunchOptions() }),
            instances: [{ browser: 'chromium' }],
          },
        },
      },
    ],
  },
});

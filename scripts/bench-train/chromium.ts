// Runs the bench page in Debian's Chromium: starts Vite on 127.0.0.1 with
// the project's config (cross-origin isolated, so wasm may use threads),
// opens page.html with Playwright, and returns what the page measured.
import { chromium } from 'playwright';
import { createServer } from 'vite';
import { chromiumLaunchOptions } from '../chromium';
import type { BackendMeasurement } from './node';
import { BACKENDS_BY_ENVIRONMENT, type BenchTrainOptions } from './options';

/** Maximum wait for the whole page run, in milliseconds. */
const PAGE_TIMEOUT_MS = 15 * 60 * 1000;

/** Measures every requested Chromium backend on `modelIds`; `log` receives the page's progress lines. */
export async function runChromium(
  options: BenchTrainOptions,
  modelIds: string[],
  log: (line: string) => void,
): Promise<{ backends: BackendMeasurement[]; userAgent: string }> {
  const backends = BACKENDS_BY_ENVIRONMENT.chromium.filter((name) => options.backends.includes(name));
  const server = await createServer({ configFile: 'vite.config.ts', server: { host: '127.0.0.1', port: 0 }, logLevel: 'warn' });
  await server.listen();
  const browser = await chromium.launch(chromiumLaunchOptions());
  try {
    const address = server.httpServer?.address();
    if (address === null || address === undefined || typeof address === 'string') {
      throw new Error('the Vite server did not report a TCP port');
    }
    const page = await browser.newPage();
    page.on('console', (message) => {
      if (message.type() === 'info') log(message.text());
    });
    page.on('pageerror', (error) => log(`page error: ${error.message}`));
    const query = new URLSearchParams({
      backends: backends.join(','),
      models: modelIds.join(','),
      batch: String(options.batchSize),
      cpuBatch: String(options.cpuBatchSize),
      seconds: String(options.seconds),
    });
    // The page measures in long stretches of microtasks, which can hold back
    // its load event, so navigation only waits for the response.
    await page.goto(`http://127.0.0.1:${address.port}/scripts/bench-train/page.html?${query}`, { waitUntil: 'commit' });
    await page.waitForFunction(() => window.benchTrainResult !== undefined, undefined, { timeout: PAGE_TIMEOUT_MS, polling: 1000 });
    const result = await page.evaluate(() => window.benchTrainResult);
    if (result === undefined || 'error' in result) {
      throw new Error(`the bench page failed: ${result === undefined ? 'no result' : result.error}`);
    }
    return result;
  } finally {
    await browser.close();
    await server.close();
  }
}

// Runs every test of the project in order: static checks, unit tests (Node),
// browser unit tests (Vitest in Chromium) and browser specs (Playwright), then
// prints one closing line with the totals. Exits non-zero when any step fails.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';

// Playwright empties test-results/ when it starts, so the reports live elsewhere.
const RESULTS = 'test-reports';
mkdirSync(RESULTS, { recursive: true });

function run(label, command, args, env = {}) {
  console.info(`\n== ${label}: ${command} ${args.join(' ')}`);
  const result = spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  if (result.error) {
    console.error(`${label} could not start: ${result.error.message}`);
    return false;
  }
  return result.status === 0;
}

function readJson(path) {
  if (!existsSync(path)) return undefined;
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return undefined;
  }
}

const steps = [];
if (!run('Chromium check', process.execPath, ['scripts/check-chromium.mjs'])) {
  process.exit(1);
}
steps.push(['MNIST asset', run('MNIST asset', process.execPath, ['scripts/build-mnist.mjs'])]);
steps.push(['typecheck', run('typecheck', 'npx', ['tsc', '-p', 'tsconfig.json', '--noEmit'])]);
steps.push(['lint', run('lint', 'npx', ['eslint', '.'])]);
steps.push([
  'vitest',
  run('unit and browser unit tests', 'npx', [
    'vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${RESULTS}/vitest.json`,
  ]),
]);
steps.push([
  'playwright',
  run('browser specs', 'npx', ['playwright', 'test', '--reporter=list,json'], {
    PLAYWRIGHT_JSON_OUTPUT_NAME: `${RESULTS}/playwright.json`,
  }),
]);

let passed = 0;
let failed = 0;
let skipped = 0;
const vitest = readJson(`${RESULTS}/vitest.json`);
if (vitest) {
  passed += vitest.numPassedTests ?? 0;
  failed += vitest.numFailedTests ?? 0;
  skipped += (vitest.numPendingTests ?? 0) + (vitest.numTodoTests ?? 0);
}
const playwright = readJson(`${RESULTS}/playwright.json`);
if (playwright?.stats) {
  passed += (playwright.stats.expected ?? 0) + (playwright.stats.flaky ?? 0);
  failed += playwright.stats.unexpected ?? 0;
  skipped += playwright.stats.skipped ?? 0;
}

const failedSteps = steps.filter(([, ok]) => !ok).map(([name]) => name);
if (failedSteps.length > 0) {
  console.error(`\nFailed steps: ${failedSteps.join(', ')}`);
  // A failed step that ran no test (typecheck, lint) still fails the run.
  if (failed === 0) failed = failedSteps.length;
}
console.info(`\ntests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failedSteps.length > 0 ? 1 : 0);

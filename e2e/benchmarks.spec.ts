// The Benchmarks page on the NAS-Bench-201 table. Random and local search for
// two seeds with budget 50 draw regret curves and show the numbers that
// `nas-studio bench` prints for the same seeds. A long benchmark stops on
// request, and bad input is rejected at its field.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test, type Download } from '@playwright/test';
import { StudioPage } from './studio-page';

const TABLE = path.resolve('../shared/data/nb201/nb201-cifar.csv');
const SIGNAL = 'cifar10_valid_12ep';
const REPORT = 'cifar10_test_200ep';

interface Summary {
  mean: number;
  std: number;
}

/** The parts of the `bench --out` document that this spec reads. */
interface BenchJson {
  table: string;
  hypervolumeReference: Record<string, number> | null;
  strategies: Record<string, { budgets: Record<string, Summary>; hypervolume: Record<string, Summary> | null; queriesToBest: number | null; reachedFraction: number; proposalMs: number }>;
}

/** Runs `nas-studio bench` with the page's settings and returns its --out document. */
function runCli(): BenchJson {
  const out = path.join(mkdtempSync(path.join(tmpdir(), 'nas-studio-bench-')), 'cli.json');
  const args = ['--table', TABLE, '--signal', SIGNAL, '--report', REPORT, '--strategies', 'random,local', '--seeds', '2', '--budget', '50', '--objectives', 'accuracy,flops', '--out', out];
  execFileSync(process.execPath, ['bin/nas-studio.js', 'bench', ...args], { stdio: 'pipe' });
  return JSON.parse(readFileSync(out, 'utf8')) as BenchJson;
}

/** Returns a copy of the document without what differs between two runs of one benchmark: the table's name and the timings. */
function comparable(json: BenchJson): BenchJson {
  const copy = structuredClone(json);
  copy.table = '';
  for (const strategy of Object.values(copy.strategies)) strategy.proposalMs = 0;
  return copy;
}

const formatSummary = (summary: Summary, digits: number) => `${summary.mean.toFixed(digits)} ± ${summary.std.toFixed(digits)}`;

test('benchmark matches the CLI', async ({ page }, testInfo) => {
  const studio = new StudioPage(page);
  await studio.open();
  await studio.show('Benchmarks');

  await studio.field('Benchmark table').setInputFiles(TABLE);
  await expect(studio.field('Signal column')).toHaveValue(SIGNAL);
  await expect(studio.field('Report column')).toHaveValue(REPORT);
  for (const label of ['Random search', 'Local search']) await page.getByLabel(label, { exact: true }).check();
  for (const label of ['Regularized evolution', 'BANANAS']) await expect(page.getByLabel(label, { exact: true })).not.toBeChecked();
  await studio.fillRunForm({ Seeds: '2', Budget: '50', 'First seed': '0' });
  await page.getByLabel('Hypervolume (accuracy vs FLOPs)').check();
  await page.getByRole('button', { name: 'Run benchmark' }).click();

  const results = page.getByRole('table', { name: 'Report accuracy by queries' });
  await expect(results).toBeVisible({ timeout: 120_000 });
  await expect(page.getByLabel('Benchmark progress')).toContainText('4 of 4 runs done');
  const cli = runCli();

  await test.step('the regret chart has a line per strategy and a data table', async () => {
    const chart = page.getByRole('img', { name: 'Mean regret by queries' });
    for (const strategy of ['random', 'local']) {
      await expect(chart.locator(`path[data-strategy="${strategy}"]`)).toHaveAttribute('d', /^M/);
    }
    const data = page.getByRole('table', { name: 'Mean regret by queries, data', includeHidden: true });
    await expect(data.locator('tbody tr').first().locator('td').first()).toHaveText('1', { useInnerText: false });
  });

  await test.step('the results table shows the CLI numbers', async () => {
    for (const strategy of ['random', 'local']) {
      const expected = cli.strategies[strategy];
      const cells = results.locator(`tr[data-strategy="${strategy}"] td`);
      await expect(cells.nth(0)).toHaveText(formatSummary(expected.budgets['50'], 2));
      const median = expected.queriesToBest === null ? '>50' : String(expected.queriesToBest);
      await expect(cells.nth(1)).toHaveText(`${median} (reached by ${Math.round(expected.reachedFraction * 100)}% of seeds)`);

      const hypervolume = page.getByRole('table', { name: 'Hypervolume by queries' }).locator(`tr[data-strategy="${strategy}"] td`);
      await expect(hypervolume.nth(0)).toHaveText(formatSummary(expected.hypervolume?.['50'] as Summary, 4));
    }
    const reference = cli.hypervolumeReference?.flops as number;
    await expect(page.getByRole('table', { name: 'Hypervolume by queries' })).toContainText(`reference point: accuracy 0, flops ${reference.toExponential(4)}`);
  });

  await test.step('Download JSON writes the CLI --out document', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download JSON' }).click()]);
    const saved = testInfo.outputPath((download as Download).suggestedFilename());
    await download.saveAs(saved);
    const json = JSON.parse(readFileSync(saved, 'utf8')) as BenchJson;
    expect(json.table).toBe('nb201-cifar.csv');
    expect(comparable(json)).toEqual(comparable(cli));
  });

  await test.step('Stop benchmark ends a long benchmark and keeps its curves', async () => {
    await studio.fillRunForm({ Seeds: '400', Budget: '1000' });
    await page.getByRole('button', { name: 'Run benchmark' }).click();
    const progress = page.getByLabel('Benchmark progress');
    await expect(progress).toContainText(/running [1-9]\d* of 800 runs done/);
    await page.getByRole('button', { name: 'Stop benchmark' }).click();

    await expect(progress).toContainText('stopped');
    await expect(page.getByRole('button', { name: 'Run benchmark' })).toBeEnabled();
    await expect(results).toHaveCount(0);
    await expect(page.getByRole('img', { name: 'Mean regret by queries' }).locator('path[data-strategy="random"]')).toHaveAttribute('d', /^M/);
  });
});

test('bad benchmark input is named at its field', async ({ page }) => {
  const studio = new StudioPage(page);
  await studio.open();
  await studio.show('Benchmarks');

  // Three rows of the real table, with a value on line 3 that is not a number.
  const rows = readFileSync(TABLE, 'utf8').split('\n').slice(1, 4);
  const fields = rows.map((row) => row.split(','));
  fields[1][2] = 'abc';
  const csv = ['index,arch,valid,test', ...fields.map((row) => row.slice(0, 4).join(','))].join('\n');
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'nas-studio-bench-')), 'malformed.csv');
  writeFileSync(file, `${csv}\n`);
  await studio.field('Benchmark table').setInputFiles(file);
  // The column with the bad value is not offered, and no other column takes its place.
  await expect(studio.field('Signal column')).toHaveValue('');
  expect(await studio.fieldError('Benchmark table')).toContain('Columns not offered: valid (line 3: "abc" is not a number)');

  await test.step('seeds 0 and a budget over the table size start nothing', async () => {
    await studio.fillRunForm({ Seeds: '0', Budget: '4' });
    await page.getByRole('button', { name: 'Run benchmark' }).click();
    expect(await studio.fieldError('Seeds')).toContain('Seeds must be a positive integer, got "0": set Seeds to 1 or more');
    expect(await studio.fieldError('Budget')).toContain('Budget must be at most the 3 rows of malformed.csv, got 4: set Budget to 3 or less');
    await expect(page.getByLabel('Benchmark progress')).toHaveCount(0);
  });

  await test.step('an unchosen signal column starts nothing', async () => {
    await studio.fillRunForm({ Seeds: '1', Budget: '2' });
    await page.getByRole('button', { name: 'Run benchmark' }).click();
    expect(await studio.fieldError('Signal column')).toContain('Signal column is not chosen: pick one of index, test');
    await expect(page.getByLabel('Benchmark progress')).toHaveCount(0);
  });

  await test.step('a table missing cells of the space is rejected', async () => {
    await studio.field('Signal column').selectOption('test');
    await page.getByRole('button', { name: 'Run benchmark' }).click();
    await expect(studio.field('Benchmark table')).toHaveAttribute('aria-invalid', 'true');
    expect(await studio.fieldError('Benchmark table')).toContain('malformed.csv: the benchmark table is missing 15622 of the 15625 cells');
    await expect(page.getByLabel('Benchmark progress')).toContainText('failed');
  });
});

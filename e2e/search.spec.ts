// A real search through the UI: a tiny sequential space, budget 4, one
// epoch. The run survives a reload, and the exported model loads in a plain
// page with tf.loadLayersModel and reproduces the studio's predictions.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { expect, test, type Download } from '@playwright/test';
import { StudioPage } from './studio-page';

const require = createRequire(import.meta.url);
const TFJS_BUNDLE = require.resolve('@tensorflow/tfjs/dist/tf.min.js');

/** Maximum absolute difference allowed between the studio's and the reloaded model's probabilities. */
const TOLERANCE = 1e-4;

// The first two tests pick cpu because WebGPU on SwiftShader was the slowest
// for these tiny nets. The first test took 1.3 min on cpu, 1.5 min on webgl
// and 3.0 min on webgpu (one run each, 2-core VM shared with other jobs).
// E2E_BACKEND overrides the choice, and the last test runs on 'auto'.
const SEARCH_BACKEND = process.env.E2E_BACKEND ?? 'cpu';

test('search, reload and export a model', async ({ page, context }, testInfo) => {
  const studio = new StudioPage(page);
  await studio.open();
  await studio.choosePreset('sequential');

  await studio.show('Run');
  await studio.fillRunForm({
    'Run name': 'e2e search',
    'Training subset size': '64',
    'Validation size': '32',
    'Test size': '32',
    Budget: '4',
    Epochs: '1',
    Workers: '2',
    Seed: '11',
  });
  await studio.field('Backend').selectOption(SEARCH_BACKEND);
  await page.getByRole('button', { name: 'Start search' }).click();

  await test.step('four trials finish and the Pareto chart has points', async () => {
    await expect(studio.doneTrialRows()).toHaveCount(4, { timeout: 8 * 60_000 });
    await expect(page.getByLabel('Run status')).toHaveText('completed', { timeout: 60_000 });
    const points = page.getByRole('img', { name: 'Pareto frontier' }).locator('circle');
    expect(await points.count()).toBe(4);
  });

  await test.step('the run and its trials survive a reload', async () => {
    await page.reload();
    await studio.show('Run');
    await expect(studio.runsTable().getByRole('row', { name: /e2e search/ })).toContainText('4 / 4');
    await studio.runsTable().getByRole('button', { name: 'Open run e2e search' }).click();
    await expect(studio.doneTrialRows()).toHaveCount(4);
  });

  const bestIndex = await test.step('select the best trial', async () => {
    const rows = studio.doneTrialRows();
    let best = { index: -1, accuracy: -1 };
    for (let i = 0; i < 4; i++) {
      const cells = rows.nth(i).locator('td');
      const index = Number(await cells.nth(0).textContent());
      const accuracy = Number.parseFloat((await cells.nth(2).textContent()) ?? '');
      if (accuracy > best.accuracy) best = { index, accuracy };
    }
    await page.getByRole('button', { name: `Select trial ${best.index}` }).click();
    await expect(page.getByRole('region', { name: 'Selected trial' })).toContainText(`Trial ${best.index}`);
    return best.index;
  });

  const files = await test.step('export model downloads three files', async () => {
    const downloads: Download[] = [];
    page.on('download', (download) => downloads.push(download));
    await page.getByRole('button', { name: 'Export model' }).click();
    await expect.poll(() => downloads.length, { timeout: 30_000 }).toBe(3);

    const saved = new Map<string, Buffer>();
    for (const download of downloads) {
      const path = testInfo.outputPath(download.suggestedFilename());
      await download.saveAs(path);
      saved.set(download.suggestedFilename(), readFileSync(path));
    }
    expect([...saved.keys()].sort()).toEqual([
      'e2e-search-trial-' + bestIndex + '.metadata.json',
      'e2e-search-trial-' + bestIndex + '.weights.bin',
      'e2e-search-trial-' + bestIndex + '.model.json',
    ].sort());
    return saved;
  });

  await test.step('a plain page loads the model and matches the predictions', async () => {
    const modelJson = JSON.parse(files.get(`e2e-search-trial-${bestIndex}.model.json`)!.toString('utf8'));
    const weightPath: string = modelJson.weightsManifest[0].paths[0];
    const metadata = JSON.parse(files.get(`e2e-search-trial-${bestIndex}.metadata.json`)!.toString('utf8'));
    expect(files.has(weightPath)).toBe(true);
    expect(metadata.reference.pixels).toHaveLength(10);

    const checker = await context.newPage();
    const origin = new URL(page.url()).origin;
    await checker.route(`${origin}/exported/**`, async (route) => {
      const name = decodeURIComponent(new URL(route.request().url()).pathname.replace('/exported/', ''));
      if (name === 'index.html') {
        await route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>model check</title>' });
        return;
      }
      const body = files.get(name);
      await route.fulfill(body ? { body, contentType: 'application/octet-stream' } : { status: 404 });
    });
    await checker.goto(`${origin}/exported/index.html`);
    await checker.addScriptTag({ path: TFJS_BUNDLE });

    const modelUrl = `/exported/e2e-search-trial-${bestIndex}.model.json`;
    const maxDifference = await checker.evaluate(async ({ reference, normalization, inputShape, modelUrl }) => {
      const tf = (window as unknown as { tf: typeof import('@tensorflow/tfjs') }).tf;
      await tf.setBackend('cpu');
      const model = await tf.loadLayersModel(modelUrl);
      let worst = 0;
      reference.pixels.forEach((pixels: number[], i: number) => {
        const input = tf.tensor(pixels, [1, ...inputShape]).mul(normalization.scale).add(normalization.offset);
        const output = model.predict(input) as import('@tensorflow/tfjs').Tensor;
        const probabilities = output.dataSync();
        reference.probabilities[i].forEach((expected: number, k: number) => {
          worst = Math.max(worst, Math.abs(probabilities[k] - expected));
        });
      });
      return worst;
    }, { ...metadata, modelUrl });
    expect(maxDifference).toBeLessThanOrEqual(TOLERANCE);
    await checker.close();
  });
});

test('reload during a search, then resume', async ({ page }) => {
  const studio = new StudioPage(page);
  await studio.open();
  await studio.choosePreset('sequential');
  await studio.show('Run');
  await studio.fillRunForm({
    'Run name': 'e2e resume',
    'Training subset size': '64',
    'Validation size': '32',
    'Test size': '32',
    Budget: '4',
    Epochs: '1',
    Workers: '1',
  });
  await studio.field('Backend').selectOption(SEARCH_BACKEND);
  await page.getByRole('button', { name: 'Start search' }).click();
  await expect(studio.doneTrialRows().first()).toBeVisible({ timeout: 5 * 60_000 });
  const doneBeforeReload = await studio.doneTrialRows().count();

  await page.reload();
  await studio.show('Results');
  await expect(page.getByLabel('Run status')).toHaveText('interrupted');
  expect(await studio.doneTrialRows().count()).toBeGreaterThanOrEqual(doneBeforeReload);
  // No trial of a run that nothing runs may look as if it were still training.
  await expect(studio.trialsTable().getByText('running', { exact: true })).toHaveCount(0);

  await page.getByRole('button', { name: 'Resume search' }).click();
  await expect(studio.doneTrialRows()).toHaveCount(4, { timeout: 8 * 60_000 });
  await expect(page.getByLabel('Run status')).toHaveText('completed', { timeout: 60_000 });
  const indices = await studio.trialsTable().locator('tbody tr td:first-child').allTextContents();
  expect(indices).toEqual(['0', '1', '2', '3']);
});

// Users get 'auto' (the fastest backend that passes a training probe), so
// one small search runs on it. REINFORCE also needs tfjs in the page itself
// for its controller.
test('search with REINFORCE on the auto backend', async ({ page }) => {
  const studio = new StudioPage(page);
  await studio.open();
  await studio.choosePreset('sequential');
  await studio.show('Run');
  await studio.fillRunForm({
    'Run name': 'e2e auto',
    'Training subset size': '64',
    'Validation size': '32',
    'Test size': '32',
    Budget: '2',
    Epochs: '1',
    Workers: '1',
  });
  await studio.field('Backend').selectOption('auto');
  await studio.field('Strategy').selectOption('reinforce');
  await page.getByRole('button', { name: 'Start search' }).click();

  await expect(studio.doneTrialRows()).toHaveCount(2, { timeout: 8 * 60_000 });
  const backends = await studio.doneTrialRows().locator('td:nth-child(8)').allTextContents();
  for (const backend of backends) expect(['webgpu', 'webgl', 'wasm', 'cpu']).toContain(backend);
});

// The 'auto' backend as a user meets it. The page is cross-origin isolated,
// and each worker probes the backends by training a tiny network and picks
// the fastest that trains correctly. The Workers panel shows the probe and
// the epoch progress of the trial in training.
import { expect, test } from '@playwright/test';
import { StudioPage } from './studio-page';

const PROBED = ['webgpu', 'webgl', 'wasm', 'cpu'];

test('auto backend probes and shows timings', async ({ page }) => {
  const studio = new StudioPage(page);
  await studio.open();
  expect(await page.evaluate(() => globalThis.crossOriginIsolated)).toBe(true);

  await studio.choosePreset('sequential');
  await studio.show('Run');
  await studio.fillRunForm({
    'Run name': 'e2e probe',
    'Training subset size': '512',
    'Validation size': '32',
    'Test size': '32',
    Budget: '2',
    Epochs: '2',
    Workers: '1',
    Seed: '5',
  });
  await studio.field('Backend').selectOption('auto');
  await page.getByRole('button', { name: 'Start search' }).click();

  const workers = page.getByRole('region', { name: 'Workers' });
  const probe = workers.getByRole('table', { name: 'Backend probe of worker 1' });
  const chosen = await test.step('the worker panel shows every probed backend', async () => {
    await expect(probe).toBeVisible({ timeout: 5 * 60_000 });
    const rows = probe.locator('tbody tr');
    await expect(rows).toHaveCount(PROBED.length);
    const names = await rows.locator('th').allTextContents();
    expect(names.map((name) => name.replace(' (chosen)', ''))).toEqual(PROBED);
    const chosenRow = rows.filter({ hasText: '(chosen)' });
    await expect(chosenRow).toHaveCount(1);
    await expect(chosenRow).toContainText('ms');
    return ((await chosenRow.locator('th').textContent()) ?? '').replace(' (chosen)', '');
  });
  console.info(`[e2e] probe: ${(await probe.innerText()).replace(/\s+/g, ' ')}`);

  await test.step('the trial in training shows its epoch progress', async () => {
    await expect(workers.getByText(/^epoch [12] of 2$/)).toBeVisible({ timeout: 5 * 60_000 });
    await expect(workers.getByRole('progressbar', { name: /^Training of trial \d+: / })).toBeVisible();
  });

  await test.step('trials train on the chosen backend, wasm or faster', async () => {
    await expect(studio.doneTrialRows()).toHaveCount(2, { timeout: 8 * 60_000 });
    const backends = await studio.doneTrialRows().locator('td:nth-child(8)').allTextContents();
    expect(backends).toEqual([chosen, chosen]);
    expect(['webgpu', 'webgl', 'wasm']).toContain(chosen);
  });

  await test.step('the trial detail keeps the probe', async () => {
    await page.getByRole('button', { name: 'Select trial 0' }).click();
    const detail = page.getByRole('region', { name: 'Selected trial' });
    await detail.getByText(`Backend probe (${chosen} chosen)`).click();
    await expect(detail.getByRole('table', { name: 'Backend probe of trial 0' }).locator('tbody tr')).toHaveCount(PROBED.length);
  });
});

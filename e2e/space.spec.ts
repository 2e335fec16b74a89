// The Space page: presets of each family, live exact counts while editing,
// field errors for invalid edits, saved spaces in IndexedDB and JSON export.
import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { StudioPage } from './studio-page';

const COUNT_FORMAT = /^\d{1,3}(,\d{3})*$/;

test('edit each family with a live count', async ({ page }) => {
  const studio = new StudioPage(page);
  await studio.open();
  const count = page.getByLabel('Architecture count');

  await test.step('sequential depths', async () => {
    await studio.choosePreset('6 layers');
    await expect(count).toHaveText('15,625');
    await studio.field('Depths').fill('2');
    await expect(count).toHaveText('25');

    await studio.field('Depths').fill('0');
    await expect(studio.field('Depths')).toHaveAttribute('aria-invalid', 'true');
    expect(await studio.fieldError('Depths')).toContain('depths');
    await expect(count).toHaveText('25');
  });

  await test.step('cell operations', async () => {
    await studio.choosePreset('cell');
    const before = await count.textContent();
    await page.getByRole('checkbox', { name: 'avg_pool_3x3' }).uncheck();
    await expect(count).not.toHaveText(before ?? '');
    await expect(count).toHaveText(COUNT_FORMAT);
  });

  await test.step('stages: add a stage and reject a bad stride', async () => {
    await studio.choosePreset('stages');
    const before = await count.textContent();
    await page.getByRole('button', { name: 'Add stage' }).click();
    await expect(count).not.toHaveText(before ?? '');
    await expect(count).toHaveText(COUNT_FORMAT);

    const stride = page.getByRole('group', { name: 'Stage 1' }).getByLabel('Stride');
    await stride.fill('3');
    await expect(stride).toHaveAttribute('aria-invalid', 'true');
  });
});

test('save, reload and export a space', async ({ page }, testInfo) => {
  const studio = new StudioPage(page);
  await studio.open();
  await studio.choosePreset('6 layers');
  await studio.field('Name').fill('my depth-3 space');
  await studio.field('Depths').fill('3');
  await page.getByRole('button', { name: 'Save space' }).click();
  const saved = page.getByRole('list', { name: 'Saved spaces' });
  await expect(saved).toContainText('my depth-3 space');

  await page.reload();
  await expect(saved).toContainText('my depth-3 space');

  const downloadPromise = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export JSON' }).click();
  const download = await downloadPromise;
  const path = testInfo.outputPath(download.suggestedFilename());
  await download.saveAs(path);
  const exported = JSON.parse(readFileSync(path, 'utf8'));
  expect(exported.family).toBe('sequential');

  // The saved space is offered as the Run page's search space.
  await saved.getByRole('button', { name: 'Load' }).click();
  await expect(studio.field('Depths')).toHaveValue('3');
  await studio.show('Run');
  const option = studio.field('Search space').locator('option', { hasText: 'Saved: my depth-3 space' });
  await expect(option).toHaveCount(1);
});

// Invalid input is shown at its field and changes nothing: a bad space JSON
// keeps the previous space, a bad budget and unreachable constraints start
// no search, and earlier stored runs stay listed.
import { expect, test } from '@playwright/test';
import { runBundle } from './fixtures';
import { StudioPage } from './studio-page';

test('bad input is rejected at its field', async ({ page }) => {
  const studio = new StudioPage(page);
  await studio.open();

  // An earlier run, imported through the Run page.
  await studio.show('Run');
  await page.getByText('Import run bundle').locator('input[type="file"]').setInputFiles({
    name: 'earlier.run.json',
    mimeType: 'application/json',
    buffer: Buffer.from(runBundle('earlier run')),
  });
  await expect(studio.runsTable().getByRole('row', { name: /earlier run/ })).toBeVisible();
  const runRows = studio.runsTable().locator('tbody tr');
  await expect(runRows).toHaveCount(1);

  await test.step('invalid space JSON keeps the previous space', async () => {
    await studio.show('Space');
    await studio.choosePreset('sequential');
    const count = page.getByLabel('Architecture count');
    const countBefore = await count.textContent();
    const depthsBefore = await studio.field('Depths').inputValue();

    const invalid = { family: 'sequential', name: 'broken', depths: [0], ops: ['conv3x3'], widths: [8], connectivity: 'sequential', stemChannels: 8, downsampleAfter: [] };
    await studio.field('Space JSON').fill(JSON.stringify(invalid));
    await page.getByRole('button', { name: 'Import JSON' }).click();

    await expect(studio.field('Space JSON')).toHaveAttribute('aria-invalid', 'true');
    expect(await studio.fieldError('Space JSON')).toContain('depths');
    await expect(count).toHaveText(countBefore ?? '');
    await expect(studio.field('Depths')).toHaveValue(depthsBefore);
    await expect(studio.field('Name')).not.toHaveValue('broken');
  });

  await test.step('invalid JSON text is reported', async () => {
    await studio.field('Space JSON').fill('{"family": ');
    await page.getByRole('button', { name: 'Import JSON' }).click();
    expect(await studio.fieldError('Space JSON')).toContain('not valid JSON');
  });

  await studio.show('Run');
  for (const budget of ['0', '-1']) {
    await test.step(`budget ${budget} starts nothing`, async () => {
      await studio.fillRunForm({ Budget: budget, 'Training subset size': '64', 'Validation size': '32', 'Test size': '32' });
      await page.getByRole('button', { name: 'Start search' }).click();

      await expect(studio.field('Budget')).toHaveAttribute('aria-invalid', 'true');
      expect(await studio.fieldError('Budget')).toContain('budget must be a positive integer');
      await expect(page.getByRole('button', { name: 'Stop search' })).toBeDisabled();
      await expect(runRows).toHaveCount(1);
      await expect(studio.runsTable().getByRole('row', { name: /earlier run/ })).toBeVisible();
    });
  }

  await test.step('unreachable max params is reported before training', async () => {
    await studio.fillRunForm({ Budget: '2', 'Max params': '10' });
    await page.getByRole('button', { name: 'Start search' }).click();

    await expect(studio.field('Budget')).toHaveAttribute('aria-invalid', 'false');
    await expect(page.getByRole('alert').filter({ hasText: 'No architecture meets the constraints' })).toBeVisible();
    await expect(page.getByRole('button', { name: 'Stop search' })).toBeDisabled();
    await expect(runRows).toHaveCount(1);
    await expect(studio.runsTable().getByRole('row', { name: /earlier run/ })).toBeVisible();
  });

  await test.step('stored runs survive a reload', async () => {
    await page.reload();
    await studio.show('Run');
    await expect(studio.runsTable().getByRole('row', { name: /earlier run/ })).toBeVisible();
  });
});

// Storage failures become visible notices instead of crashes: another tab
// upgrading the database, and a database newer than this build.
import { expect, test } from '@playwright/test';
import { STUDIO_DB_VERSION } from '../src/storage/db';
import { runBundle } from './fixtures';
import { StudioPage } from './studio-page';

test('database upgrade elsewhere shows notices', async ({ page }) => {
  const studio = new StudioPage(page);
  await studio.open();
  await studio.show('Run');
  await page.getByText('Import run bundle').locator('input[type="file"]').setInputFiles({
    name: 'stored.run.json',
    mimeType: 'application/json',
    buffer: Buffer.from(runBundle('stored run')),
  });
  await expect(studio.runsTable().getByRole('row', { name: /stored run/ })).toBeVisible();

  // Plays a newer build in another tab: opening the next version makes this page close its connection.
  await page.evaluate(
    (newerVersion) =>
      new Promise<void>((resolve, reject) => {
        const request = indexedDB.open('nas-studio', newerVersion);
        request.onsuccess = () => {
          request.result.close();
          resolve();
        };
        request.onerror = () => reject(request.error);
      }),
    STUDIO_DB_VERSION + 1,
  );
  const notices = page.getByRole('region', { name: 'Notices' });
  await expect(notices).toContainText('A newer version of NAS Studio opened its database in another tab');

  // Actions after the close report a failure instead of crashing the page.
  await page.getByRole('button', { name: 'Open run stored run' }).click();
  await expect(notices).toContainText('Could not open the run');
  await expect(page.getByRole('button', { name: 'Start search' })).toBeVisible();

  // This build cannot open the upgraded database, and the notice explains why.
  await page.reload();
  await expect(notices).toContainText('already upgraded by a newer build');
  await expect(page.getByRole('button', { name: 'Space', exact: true })).toBeVisible();
});

test('export, delete and import a run', async ({ page }, testInfo) => {
  const studio = new StudioPage(page);
  await studio.open();
  await studio.show('Run');
  const importInput = page.getByText('Import run bundle').locator('input[type="file"]');
  await importInput.setInputFiles({
    name: 'kept.run.json',
    mimeType: 'application/json',
    buffer: Buffer.from(runBundle('kept run')),
  });
  const row = studio.runsTable().getByRole('row', { name: /kept run/ });
  await expect(row).toBeVisible();

  const downloadPromise = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export run kept run' }).click();
  const download = await downloadPromise;
  const path = testInfo.outputPath(download.suggestedFilename());
  await download.saveAs(path);

  page.once('dialog', (dialog) => void dialog.accept());
  await page.getByRole('button', { name: 'Delete run kept run' }).click();
  await expect(page.getByText('No stored runs yet.')).toBeVisible();

  await importInput.setInputFiles(path);
  await expect(row).toBeVisible();
  await expect(row).toContainText('completed');

  await importInput.setInputFiles({ name: 'broken.json', mimeType: 'application/json', buffer: Buffer.from('{"format": "other"}') });
  await expect(page.getByRole('region', { name: 'Notices' })).toContainText('Could not import the run bundle');
  await expect(studio.runsTable().locator('tbody tr')).toHaveCount(1);
});

test('a second tab leaves a running search alone', async ({ page, context }) => {
  const first = new StudioPage(page);
  await first.open();
  await first.choosePreset('sequential');
  await first.show('Run');
  await first.fillRunForm({
    'Run name': 'e2e two tabs',
    'Training subset size': '512',
    'Validation size': '32',
    'Test size': '32',
    Budget: '6',
    Epochs: '1',
    Workers: '1',
  });
  await first.field('Backend').selectOption('cpu');
  await page.getByRole('button', { name: 'Start search' }).click();
  await expect(page.getByLabel('Run status')).toHaveText('running');

  // The first tab holds the run's lock, so the second one must not mark it interrupted.
  const second = new StudioPage(await context.newPage());
  await second.open();
  await second.show('Run');
  const row = second.runsTable().getByRole('row', { name: /e2e two tabs/ });
  await expect(row).toContainText('running');
  await expect(row).not.toContainText('interrupted');

  await page.bringToFront();
  await page.getByRole('button', { name: 'Stop search' }).click();
  await expect(page.getByLabel('Run status')).toHaveText('stopped', { timeout: 60_000 });
});

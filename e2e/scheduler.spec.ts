// Successive halving through the UI: two candidates train one epoch, the
// better one continues to the second epoch from its weights, and the trials
// table, the selected trial and the progress panel show the rungs.
import { expect, test } from '@playwright/test';
import { StudioPage } from './studio-page';

test('successive halving promotes one of two trials', async ({ page }) => {
  const studio = new StudioPage(page);
  await studio.open();
  await studio.choosePreset('sequential');

  await studio.show('Run');
  await studio.fillRunForm({
    'Run name': 'e2e scheduler',
    'Training subset size': '64',
    'Validation size': '32',
    'Test size': '32',
    Budget: '2',
    Epochs: '2',
    Workers: '2',
    Seed: '5',
  });
  await studio.field('Backend').selectOption('cpu');
  await studio.field('Scheduler').selectOption('successive-halving');
  await studio.fillRunForm({ 'Min epochs': '1', 'Reduction factor': '2' });
  await page.getByRole('button', { name: 'Start search' }).click();

  await expect(studio.doneTrialRows()).toHaveCount(2, { timeout: 8 * 60_000 });
  await expect(page.getByLabel('Run status')).toHaveText('completed', { timeout: 60_000 });
  await expect(studio.trialsTable()).toContainText('promoted to the top rung, 2 epochs');
  await expect(studio.trialsTable()).toContainText('stopped at rung 0 after 1 epoch');
  // Two first-rung epochs and one more for the promoted trial, as planned, of 2 * 2 for full training.
  const progress = page.getByRole('region', { name: 'Progress' });
  await expect(progress).toContainText('3 of 3 planned (100%)');
  await expect(progress).toContainText('4 would train every candidate fully');

  const promoted = studio.doneTrialRows().filter({ hasText: 'promoted to the top rung' });
  await promoted.getByRole('button', { name: /Select trial/ }).click();
  await expect(page.getByRole('region', { name: 'Selected trial' })).toContainText('promoted to the top rung, 2 epochs');
});

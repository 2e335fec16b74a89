// Refreshes docs/images/dashboard.png: a screenshot of the live dashboard
// taken while a real search runs. Skipped unless UPDATE_DASHBOARD_SCREENSHOT
// is set, because it only produces an image for the README.
import { expect, test } from '@playwright/test';
import { StudioPage } from './studio-page';

test.use({ viewport: { width: 1440, height: 1100 } });

test('dashboard screenshot during a search', async ({ page }) => {
  test.skip(!process.env.UPDATE_DASHBOARD_SCREENSHOT, 'set UPDATE_DASHBOARD_SCREENSHOT=1 to refresh docs/images/dashboard.png');
  test.setTimeout(30 * 60_000);

  const studio = new StudioPage(page);
  await studio.open();
  // The demo's own defaults (see defaultRunConfig), so the image shows what a first search gives.
  await studio.choosePreset('sequential');
  await studio.show('Run');
  await studio.fillRunForm({ 'Run name': 'MNIST demo', Budget: '8' });
  await studio.field('Cost objective').selectOption('params');
  await page.getByRole('button', { name: 'Start search' }).click();

  await expect(studio.doneTrialRows()).toHaveCount(5, { timeout: 25 * 60_000 });
  const frontPoint = page.getByRole('img', { name: 'Pareto frontier' }).locator('circle.point-front').first();
  await frontPoint.click();
  await frontPoint.hover();
  await page.screenshot({ path: 'docs/images/dashboard.png', fullPage: true });
  // The README quotes these rows (backend, accuracy, training time) for the demo.
  console.info(await page.getByRole('table', { name: 'Trials' }).innerText());
  await page.getByRole('button', { name: 'Stop search' }).click();
});

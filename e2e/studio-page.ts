// Page object for the studio: navigation, the Run form and the tables,
// addressed by accessible names only.
import { expect, type Locator, type Page } from '@playwright/test';

export type PageName = 'Space' | 'Run' | 'Results' | 'Benchmarks';

export class StudioPage {
  constructor(readonly page: Page) {}

  async open(): Promise<void> {
    await this.page.goto('/');
    await expect(this.page.getByRole('button', { name: 'Space', exact: true })).toBeVisible();
  }

  async show(name: PageName): Promise<void> {
    await this.page.getByRole('navigation', { name: 'Pages' }).getByRole('button', { name, exact: true }).click();
  }

  /** Chooses the first preset whose label contains `family` (case-insensitive). */
  async choosePreset(family: string): Promise<void> {
    const select = this.page.getByLabel('Preset', { exact: true });
    const option = select.locator('option', { hasText: new RegExp(family, 'i') }).first();
    const value = await option.getAttribute('value');
    if (value === null) throw new Error(`no preset option mentions ${family}`);
    await select.selectOption(value);
  }

  field(label: string): Locator {
    return this.page.getByLabel(label, { exact: true });
  }

  /** Fills text fields of the Run form by label. */
  async fillRunForm(values: Record<string, string>): Promise<void> {
    for (const [label, value] of Object.entries(values)) await this.field(label).fill(value);
  }

  /** Error text that a field's aria-describedby points at. */
  async fieldError(label: string): Promise<string> {
    const describedBy = await this.field(label).getAttribute('aria-describedby');
    if (describedBy === null) return '';
    const texts = await Promise.all(
      describedBy.split(' ').map((id) => this.page.locator(`[id="${id}"]`).textContent()),
    );
    return texts.join(' ');
  }

  runsTable(): Locator {
    return this.page.getByRole('table', { name: 'Runs' });
  }

  trialsTable(): Locator {
    return this.page.getByRole('table', { name: 'Trials' });
  }

  doneTrialRows(): Locator {
    return this.trialsTable().locator('tbody tr[data-status="done"]');
  }
}

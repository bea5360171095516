// Every screen, in the light and the dark theme, audited by axe-core in Chromium: no serious or
// critical violation of WCAG 2.1 A/AA. Screenshots of each go to test-results/a11y-<theme>-<screen>.png.
import AxeBuilder from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedFolder } from '../projections/helpers/dataFolder.ts';
import { startConsole, type ConsoleHarness } from './harness.ts';

let harness: ConsoleHarness;

beforeAll(async () => {
  harness = await startConsole({
    prepare: async (dataDir) => {
      await seedFolder(dataDir, { events: 2000, seed: 3, project: true });
    },
  });
}, 120_000);
afterAll(async () => harness?.close());

/** A screen, and what shows once it has its data (an audit of a loading state proves little). */
const screens: { name: string; hash: (parcelHref: string) => string; ready: (page: Page) => Promise<unknown> }[] = [
  { name: 'overview', hash: () => '#/overview', ready: (page) => page.locator('.status-tile-count').first().waitFor() },
  { name: 'field', hash: () => '#/field', ready: (page) => page.getByLabel('Depot').waitFor() },
  { name: 'parcels', hash: () => '#/parcels', ready: (page) => page.locator('.vtable-row').first().waitFor() },
  { name: 'parcel', hash: (href) => href, ready: (page) => page.getByRole('heading', { level: 1 }).waitFor() },
  { name: 'events', hash: () => '#/events', ready: (page) => page.locator('.vtable-row').first().waitFor() },
  { name: 'event', hash: () => '#/event/1', ready: (page) => page.getByRole('heading', { level: 1 }).waitFor() },
  { name: 'projections', hash: () => '#/projections', ready: (page) => page.locator('table tbody tr').first().waitFor() },
  { name: 'sync', hash: () => '#/sync', ready: (page) => page.getByRole('heading', { level: 1 }).waitFor() },
];

/** What axe found that a person relying on contrast, a screen reader or a keyboard would hit, one line each. */
async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .flatMap((v) => v.nodes.map((node) => `${v.impact} ${v.id}: ${node.target.join(' ')} — ${node.failureSummary?.split('\n').slice(1).join(' ').trim() ?? v.help}`));
}

describe.each(['light', 'dark'] as const)('every screen in the %s theme', (theme) => {
  it('has no serious or critical accessibility violation', async () => {
    const context = await harness.browser.newContext({ viewport: { width: 1440, height: 900 }, colorScheme: theme });
    const page = await context.newPage();
    try {
      await page.goto(`${harness.host.url}#/parcels`);
      await page.locator('.vtable-row').first().waitFor({ timeout: 30_000 });
      const parcelHref = (await page.locator('.vtable-row a').first().getAttribute('href'))!;
      const found: Record<string, string[]> = {};
      for (const screen of screens) {
        await page.evaluate((hash) => (window.location.hash = hash), screen.hash(parcelHref));
        await screen.ready(page);
        expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe(theme);
        await harness.shot(`a11y-${theme}-${screen.name}`, page);
        found[screen.name] = await seriousViolations(page);
      }
      expect(found).toEqual(Object.fromEntries(screens.map((s) => [s.name, []])));
    } finally {
      await context.close();
    }
  }, 180_000);
});

describe('the keyboard', () => {
  it('j/k move through a table, Enter opens the row, / searches, ? lists every shortcut and Esc closes it', async () => {
    const context = await harness.browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    const focused = () => page.evaluate(() => document.activeElement?.closest('.vrow')?.getAttribute('aria-rowindex') ?? document.activeElement?.getAttribute('aria-label') ?? null);
    try {
      await page.goto(`${harness.host.url}#/parcels`);
      await page.locator('.vtable-row').first().waitFor({ timeout: 30_000 });
      await page.keyboard.press('j');
      expect(await focused()).toBe('2');
      for (let i = 0; i < 30; i++) await page.keyboard.press('j');
      expect(await focused()).toBe('32'); // past the rows first drawn: the list draws them as focus moves on
      await page.keyboard.press('k');
      expect(await focused()).toBe('31');
      const href = await page.evaluate(() => document.activeElement?.getAttribute('href'));
      await page.keyboard.press('Enter');
      await page.waitForURL((url) => url.hash === href);

      await page.evaluate(() => (window.location.hash = '#/events'));
      await page.locator('.vtable-row').first().waitFor();
      await page.keyboard.press('j');
      await page.keyboard.press('j');
      await page.keyboard.press('Enter');
      const second = page.locator('.vtable-row[aria-rowindex="3"]');
      await expect.poll(() => second.getAttribute('class')).toContain('selected');
      await page.keyboard.press('/');
      expect(await focused()).toBe('Search payloads…');
      await page.keyboard.type('jk');
      expect(await page.getByLabel('Search payloads…').inputValue()).toBe('jk'); // typed into the field, not moving rows
      await page.getByLabel('Search payloads…').blur();

      await page.keyboard.press('?');
      const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
      await help.waitFor();
      expect(await help.locator('dd').allTextContents()).toEqual(['Jump to a screen, a parcel or an event', 'Next row of the table', 'Previous row of the table', 'Open the row (a parcel, or an event’s details)', 'Search on this screen', 'Show these shortcuts', 'Close this, or the palette']);
      await harness.shot('keyboard-shortcuts', page);
      expect(await seriousViolations(page)).toEqual([]);
      await page.keyboard.press('Escape');
      await help.waitFor({ state: 'detached' });
    } finally {
      await context.close();
    }
  }, 120_000);
});

describe('the command palette', () => {
  it('is a combobox: the active option announced and moved with the arrows, fuzzy matches, focus kept inside, actions run from it', async () => {
    const context = await harness.browser.newContext({ viewport: { width: 1440, height: 900 }, colorScheme: 'light' });
    const page = await context.newPage();
    try {
      await page.goto(`${harness.host.url}#/overview`);
      await page.locator('.status-tile-count').first().waitFor({ timeout: 30_000 });
      await page.keyboard.press('Control+k');
      const input = page.getByRole('combobox', { name: 'Jump to' });
      await input.waitFor();
      const active = () => page.locator('[role="option"][aria-selected="true"] span').first().textContent();
      await input.fill('evnt hist'); // fuzzy: letters in order, not a substring
      expect(await active()).toBe('Event history');
      await input.fill('s');
      const first = await active();
      await page.keyboard.press('ArrowDown');
      expect(await active()).not.toBe(first);
      // The option the arrows moved to is the one announced (cmdk sets it once the arrows move).
      expect(await input.getAttribute('aria-activedescendant')).toBe(await page.locator('[role="option"][aria-selected="true"]').getAttribute('id'));
      await page.keyboard.press('Tab');
      expect(await page.evaluate(() => document.activeElement?.closest('[role="dialog"]') !== null)).toBe(true);
      await harness.shot('palette-open', page);
      expect(await seriousViolations(page)).toEqual([]);
      await input.fill('dark');
      expect(await active()).toBe('Dark theme');
      await page.keyboard.press('Enter');
      await input.waitFor({ state: 'detached' });
      expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    } finally {
      await context.close();
    }
  }, 120_000);
});

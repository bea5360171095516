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

// Browser mode on a folder opened read-only (`waybill serve --read-only`): every screen says that
// nothing can be recorded and why, everything recorded can still be looked at, and a form that is
// tried anyway is refused without changing a byte.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedFolder } from '../projections/helpers/dataFolder.ts';
import { startConsole, type ConsoleHarness } from './harness.ts';

let harness: ConsoleHarness;
const logHash = () => createHash('sha256').update(readFileSync(join(harness.dataDir, 'events.db'))).digest('hex');

beforeAll(async () => {
  harness = await startConsole({
    prepare: async (dataDir) => {
      await seedFolder(dataDir, { events: 2000, seed: 5, project: true });
    },
    readOnly: true,
  });
}, 120_000);
afterAll(async () => harness?.close());

describe('the console on a folder opened read-only', () => {
  it('says so on every screen, still shows what was recorded, and refuses a form without changing the log', async () => {
    const { page, host } = harness;
    const before = logHash();
    await page.goto(`${host.url}#/overview`);
    const banner = page.getByTestId('write-refusal');
    await banner.waitFor();
    expect(await banner.textContent()).toContain('Read-only: nothing can be recorded');
    expect(await page.getByRole('button', { name: 'Load sample data' }).count()).toBe(0);
    await page.locator('.status-tile-count').first().waitFor();
    await harness.shot('20-read-only-overview');

    await page.goto(`${host.url}#/parcels`);
    await page.locator('.vtable-row').first().waitFor();
    await banner.waitFor();

    await page.goto(`${host.url}#/field`);
    await banner.waitFor();
    await page.getByLabel('Depot').selectOption({ index: 1 });
    await page.getByRole('tab', { name: /Register parcel/ }).click();
    const form = page.getByRole('form', { name: 'Register parcel' });
    await form.getByLabel('Tracking code').fill('WBREADONLY1');
    await form.getByLabel('Weight (kg)').fill('2');
    await form.getByLabel('Recipient').fill('Ana Read');
    await form.getByLabel('Street').fill('1 Quiet Lane');
    await form.getByLabel('City').fill('Leeds');
    await form.getByLabel('Postcode').fill('LS1 1AA');
    await form.getByRole('button', { name: 'Register parcel' }).click();
    await form.getByRole('alert').filter({ hasText: /read-only/i }).waitFor();
    expect(await form.getByLabel('Recipient').inputValue()).toBe('Ana Read');
    await harness.shot('21-read-only-field-work-refused');
    expect(logHash()).toBe(before);
  }, 60_000);
});

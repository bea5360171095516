import pg from 'pg';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enrolDevice, startSyncServer, type SyncServer } from '../../db/sync/server/index.ts';
import { freshDatabase } from '../helpers/testPostgres.ts';
import { startConsole, type ConsoleHarness } from './harness.ts';

// Two laptops in browser mode (each `waybill serve` on a data folder of its own) and one sync
// server on a fresh PostgreSQL database; each step builds on the ones before.
let database: { url: string; drop: () => Promise<void> };
let server: SyncServer;
let van: ConsoleHarness;
let office: ConsoleHarness;
const clash = 'E2ECLASH01';

const poll = <T>(read: () => T | Promise<T>, timeout = 30_000) => expect.poll(read, { timeout });
const go = (page: Page, hash: string) => page.evaluate((target) => (window.location.hash = target), hash);
const laptopCard = (page: Page) => page.getByRole('region', { name: 'This laptop', exact: true });
const fleetRow = (page: Page, name: string) => page.getByTestId(`fleet-${name}`);

/** The device whose registration of a tracking code the server put first. */
async function firstRegistrationOf(trackingCode: string): Promise<string> {
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  try {
    const { rows } = await client.query<{ name: string }>(
      `SELECT d.name FROM events e JOIN devices d ON d.device_id = e.device_id
       WHERE e.type = 'ParcelRegistered' AND e.payload::jsonb ->> 'trackingCode' = $1 ORDER BY e.server_seq LIMIT 1`,
      [trackingCode],
    );
    return rows[0]!.name;
  } finally {
    await client.end();
  }
}

/** The console scrolls inside its main column, so a whole screen is shot in a window as tall as it. */
async function wholeScreen(harness: ConsoleHarness, name: string): Promise<void> {
  const { page } = harness;
  const height = await page.evaluate(() => document.querySelector('.main')?.scrollHeight ?? 900);
  await page.setViewportSize({ width: 1440, height: Math.max(900, height) });
  await harness.shot(name);
  await page.setViewportSize({ width: 1440, height: 900 });
}

async function join(page: Page, code: string): Promise<void> {
  const form = page.getByRole('form', { name: 'Join a sync server' });
  await form.getByLabel('Server URL').fill(server.url);
  await form.getByLabel('One-time code').fill(code);
  await form.getByRole('button', { name: 'Join the server' }).click();
}

async function syncNow(page: Page): Promise<string> {
  await laptopCard(page).getByRole('button', { name: 'Sync now' }).click();
  const result = page.getByTestId('sync-run').filter({ hasText: /Synced:/ });
  await result.waitFor({ timeout: 60_000 });
  return (await result.textContent()) ?? '';
}

/** Registers a parcel on the Field work screen, at the first depot, with the given tracking code. */
async function registerParcel(page: Page, trackingCode: string, recipient: string): Promise<void> {
  await go(page, '#/field');
  const depot = page.getByLabel('Depot');
  await poll(() => depot.locator('option').count()).toBeGreaterThan(1);
  await depot.selectOption({ index: 1 });
  await page.getByRole('tab', { name: /Register parcel/ }).click();
  const form = page.getByRole('form', { name: 'Register parcel' });
  await form.getByLabel('Tracking code').fill(trackingCode);
  await form.getByLabel('Weight (kg)').fill('1.5');
  await form.getByLabel('Recipient').fill(recipient);
  await form.getByLabel('Street').fill('3 Offline Row');
  await form.getByLabel('City').fill('Nowhere');
  await form.getByLabel('Postcode').fill('NW1 1AA');
  await form.getByRole('button', { name: 'Register parcel' }).click();
  await form.getByRole('status').filter({ hasText: `Registered ${trackingCode}` }).waitFor();
}

describe('sync in a real browser', () => {
  beforeAll(async () => {
    database = await freshDatabase();
    server = await startSyncServer({ databaseUrl: database.url, port: 0 });
    [van, office] = await Promise.all([startConsole(), startConsole()]);
  }, 180_000);
  afterAll(async () => {
    await Promise.all([van?.close(), office?.close()]);
    await server?.close();
    await database?.drop();
  });

  it('joins from the sync screen with a one-time code, after a refused one', async () => {
    const { page } = van;
    await page.goto(van.host.url);
    // A laptop used on its own first: it has a log of its own before it ever joins.
    await page.getByRole('button', { name: 'Load sample data' }).click();
    await page.getByRole('heading', { name: 'The event log is empty' }).waitFor({ state: 'detached', timeout: 60_000 });
    await go(page, '#/sync');
    await page.getByRole('form', { name: 'Join a sync server' }).waitFor();
    await page.getByText('Nothing waiting', { exact: true }).waitFor();
    await wholeScreen(van, 'sync-01-not-joined');

    await join(page, 'NOPE-NOPE-NOPE');
    const refused = page.getByTestId('join-code-error');
    await poll(() => refused.textContent()).toContain('This enrolment code is not one the sync server made');
    await van.shot('sync-02-join-refused');

    const { code } = await enrolDevice(database.url, 'Van 3');
    await join(page, code);
    await laptopCard(page).waitFor();
    expect(await page.getByRole('form', { name: 'Join a sync server' }).count()).toBe(0);
  });

  it('sends what was recorded here with Sync now and says both checkpoints in words', async () => {
    const { page } = van;
    // Joining started the background sync, which may have sent everything already.
    expect(await syncNow(page)).toMatch(/^✓ Synced: /);
    await poll(() => page.getByTestId('write-checkpoint').textContent()).toContain('Everything recorded here is on the server');
    await poll(() => page.getByTestId('read-checkpoint').textContent()).toMatch(/Has everything the server had at \d\d:\d\d/);
    await fleetRow(page, 'Van 3').filter({ hasText: 'this laptop' }).waitFor();
    // The server's view of this laptop agrees: everything it recorded is there.
    await page.getByRole('region', { name: 'Fleet' }).getByText('1 device · nothing waiting to come up').waitFor();
    await wholeScreen(van, 'sync-03-joined-and-synced');
  });

  it('a second data folder joins and pulls the first one’s events', async () => {
    const { page } = office;
    await page.goto(`${office.host.url}#/sync`);
    const { code } = await enrolDevice(database.url, 'Office desk');
    await join(page, code);
    await laptopCard(page).waitFor();
    // The background loop may have pulled everything right after joining, before the click.
    expect(await syncNow(page)).toMatch(/received [\d,]+ events|nothing new either way/);
    await poll(() => page.getByTestId('read-checkpoint').textContent()).toMatch(/Has everything the server had at \d\d:\d\d/);
    await poll(() => page.getByTestId('write-checkpoint').textContent()).toContain('Everything recorded here is on the server');
    // The pulled events are this laptop's to look at: the overview counts the first laptop's parcels.
    await go(page, '#/overview');
    await poll(async () => Number(((await page.locator('.card').filter({ hasText: 'Parcels by status' }).locator('.muted').first().textContent()) ?? '0').replace(/\D/g, ''))).toBeGreaterThan(100);
    await office.shot('sync-04-second-laptop-overview');
    await go(page, '#/sync');
    await fleetRow(page, 'Van 3').waitFor();
    await fleetRow(page, 'Office desk').filter({ hasText: 'this laptop' }).waitFor();
    await wholeScreen(office, 'sync-05-second-laptop-pulled');
  });

  it('the fleet lists both laptops on either one', async () => {
    const { page } = van;
    await page.getByRole('button', { name: /Refresh/ }).click();
    await fleetRow(page, 'Office desk').waitFor();
    await fleetRow(page, 'Van 3').filter({ hasText: 'this laptop' }).waitFor();
    expect(await page.getByRole('region', { name: 'Fleet' }).textContent()).toContain('2 devices');
  });

  it('while the server is down, both laptops keep recording and say they are offline, with what waits', async () => {
    const port = Number(new URL(server.url).port);
    await server.close();
    // Both give the same tracking code to a parcel of their own: neither can know of the other's.
    await registerParcel(van.page, clash, 'Van Recipient');
    await registerParcel(office.page, clash, 'Office Recipient');
    for (const { page } of [van, office]) {
      await page.getByTestId('sync-freshness').filter({ hasText: /^offline · last synced/ }).waitFor({ timeout: 60_000 });
    }
    await van.shot('sync-06-offline-header');
    await go(van.page, '#/sync');
    await van.page.getByTestId('sync-problem').filter({ hasText: 'The sync server cannot be reached' }).waitFor();
    await poll(() => van.page.getByTestId('write-checkpoint').textContent()).toContain('1 event recorded here is not on the server yet');
    await wholeScreen(van, 'sync-07-offline');

    server = await startSyncServer({ databaseUrl: database.url, port });
  });

  it('once back, the clash shows up as a conflict on both, and resolving it on one closes it on the other', async () => {
    // Whichever registration reached the server first keeps the code (the laptops retry on their own too).
    await syncNow(van.page);
    await go(office.page, '#/sync');
    await syncNow(office.page);
    await syncNow(van.page);
    // The registration first in the server's order stands, on both laptops; the one recorded later
    // locally may have shown as standing until its laptop rebuilt in the server's order, and the
    // screen follows that rebuild by itself.
    const first = await firstRegistrationOf(clash);
    for (const { page } of [van, office]) {
      const found = page.getByRole('listitem', { name: 'One tracking code on two parcels' });
      await found.waitFor({ timeout: 60_000 });
      expect(await found.textContent()).toContain(`Tracking code ${clash} was given to`);
      await poll(() => found.locator('.conflict-side-stands').textContent()).toContain(first);
      expect(await found.locator('.conflict-side:not(.conflict-side-stands)').textContent()).not.toContain(first);
    }
    const item = office.page.getByRole('listitem', { name: 'One tracking code on two parcels' });
    await wholeScreen(office, 'sync-08-conflict');

    await item.getByRole('button', { name: 'I recorded a correction' }).click();
    await item.getByRole('button', { name: 'Close as corrected' }).click();
    await item.getByRole('alert').filter({ hasText: 'Say what you corrected' }).waitFor();
    await item.getByLabel('What did you correct?').fill('Relabelled the office parcel with a new tracking code.');
    await office.shot('sync-09-conflict-correcting');
    await item.getByRole('button', { name: 'Close as corrected' }).click();
    await office.page.getByRole('status').filter({ hasText: 'closed as corrected' }).waitFor();
    await item.waitFor({ state: 'detached' });
    await office.page.getByText('Nothing waiting', { exact: true }).waitFor();
    await office.page.getByLabel('Show resolved ones').check();
    const resolved = office.page.getByRole('list', { name: 'Resolved conflicts' });
    await resolved.getByText('Closed after a correction').waitFor();
    await wholeScreen(office, 'sync-10-conflict-resolved');

    // The resolution is a command like any other: it goes up and the van pulls it.
    await syncNow(office.page);
    await syncNow(van.page);
    await van.page.getByText('Nothing waiting', { exact: true }).waitFor({ timeout: 30_000 });
    await wholeScreen(van, 'sync-11-van-after-resolution');
  }, 180_000);

  it('a screen open on one laptop follows what another records, as it is pulled in the background', async () => {
    const { page } = van;
    await go(page, '#/overview');
    const total = page.locator('.card').filter({ hasText: 'Parcels by status' }).locator('.card-title-row .muted');
    const parcels = async () => Number(((await total.textContent()) ?? '').replace(/\D/g, ''));
    await poll(parcels).toBeGreaterThan(0);
    const before = await parcels();
    await registerParcel(office.page, 'E2EPULL001', 'Pulled Recipient');
    // The van's background pull may still be backing off from the server's outage (up to 30 s).
    await poll(parcels, 60_000).toBe(before + 1);
    await go(page, '#/sync');
    await laptopCard(page).waitFor();
  }, 90_000);

  it('asks before leaving, and the dark theme reads as well', async () => {
    const { page } = van;
    await laptopCard(page).getByRole('button', { name: 'Leave…' }).click();
    const dialog = page.getByRole('alertdialog', { name: `Leave ${server.url}?` });
    await dialog.waitFor();
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Stay joined');
    await van.shot('sync-12-leave-confirmation');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });

    await go(office.page, '#/sync');
    await office.page.getByRole('button', { name: 'Dark theme' }).click();
    await office.page.getByLabel('Show resolved ones').check();
    await office.page.getByRole('list', { name: 'Resolved conflicts' }).waitFor();
    await wholeScreen(office, 'sync-13-dark');
  }, 180_000);
});

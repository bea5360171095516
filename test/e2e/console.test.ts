import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startConsole, type ConsoleHarness } from './harness.ts';

// One console for the whole file: each step builds on the data the previous ones wrote.
let harness: ConsoleHarness;
const trackingCode = 'E2E0000001';

// expect.poll gives up after 1 s by default; a busy CI machine needs longer for projections to catch up.
const poll = <T>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 20_000 });
const go = (hash: string) => harness.page.evaluate((target) => (window.location.hash = target), hash);

describe('the console in a real browser', () => {
  beforeAll(async () => {
    harness = await startConsole();
  }, 120_000);
  afterAll(async () => {
    await harness?.close();
  });

  it('offers sample data on an empty log and shows it on the overview', async () => {
    const { page } = harness;
    await page.goto(harness.host.url);
    await page.getByRole('button', { name: 'Load sample data' }).waitFor();
    await harness.shot('00-first-launch');
    await page.getByRole('button', { name: 'Load sample data' }).click();
    await page.getByRole('heading', { name: 'The event log is empty' }).waitFor({ state: 'detached', timeout: 30_000 });
    await page.locator('.status-tile-count').first().waitFor();
    await poll(() => page.locator('table tbody tr').count()).toBeGreaterThan(3);
    expect(new URL(page.url()).searchParams.get('token')).toBeNull();
    await page.waitForTimeout(2500);
    await harness.shot('01-overview', page, { fullPage: true });
  });

  it('registers a parcel and lists it', async () => {
    const { page } = harness;
    await go('#/field');
    await page.getByLabel('Depot').selectOption({ index: 1 });
    await page.getByLabel('Driver').selectOption({ index: 1 });
    await page.getByRole('tab', { name: /Register parcel/ }).click();
    const form = page.getByRole('form', { name: 'Register parcel' });
    await form.getByLabel('Tracking code').fill(trackingCode);
    await form.getByLabel('Weight (kg)').fill('2.5');
    await form.getByLabel('Recipient').fill('Edith Clarke');
    await form.getByLabel('Street').fill('1 Test Lane');
    await form.getByLabel('City').fill('Testbury');
    await form.getByLabel('Postcode').fill('TB1 1AA');
    await form.getByRole('button', { name: 'Register parcel' }).click();
    await form.getByRole('status').filter({ hasText: `Registered ${trackingCode}` }).waitFor();
    await harness.shot('02-field-work');

    await go('#/parcels');
    await page.locator('.vtable-row').first().filter({ hasText: trackingCode }).waitFor();
    await harness.shot('03-parcels');
  });

  it('shows a rejected command by its field and changes nothing', async () => {
    const { page } = harness;
    await go('#/field');
    await page.getByRole('tab', { name: /Register parcel/ }).click();
    const form = page.getByRole('form', { name: 'Register parcel' });
    await form.getByLabel('Tracking code').fill(trackingCode);
    await form.getByLabel('Weight (kg)').fill('1');
    await form.getByLabel('Recipient').fill('Someone Else');
    await form.getByLabel('Street').fill('2 Other Road');
    await form.getByLabel('City').fill('Elsewhere');
    await form.getByLabel('Postcode').fill('EL1 2BB');
    await form.getByRole('button', { name: 'Register parcel' }).click();
    const error = page.getByTestId('rp-trackingCode-error');
    await poll(() => error.textContent()).toContain(`Tracking code ${trackingCode} is already used`);
    expect(await form.getByLabel('Recipient').inputValue()).toBe('Someone Else');
    await harness.shot('04-rejected-command');

    await go(`#/parcels?search=${trackingCode}`);
    await poll(() => page.locator('.vtable-row').count()).toBe(1);
  });

  it('scans, plans and starts a route, delivers, and shows the timeline', async () => {
    const { page } = harness;
    await go('#/field');
    await page.getByRole('tab', { name: /Scan/ }).click();
    await page.getByLabel('Tracking code').fill(trackingCode);
    await page.getByRole('button', { name: 'Record scan' }).click();
    await page.getByRole('status').filter({ hasText: `${trackingCode} arrived` }).waitFor();

    const plan = page.getByRole('region', { name: 'Plan a route' });
    if (!(await plan.isVisible())) await page.getByRole('button', { name: 'Plan another route for this driver' }).click();
    await plan.getByLabel(`Add ${trackingCode} to the route`).check();
    await plan.getByRole('button', { name: /Plan route/ }).click();
    await page.getByRole('button', { name: 'Start route' }).click();
    const stop = page.getByTestId(`stop-${trackingCode}`);
    await stop.getByRole('button', { name: 'Delivered' }).click();
    await stop.filter({ hasText: 'delivered' }).waitFor();
    await harness.shot('05-route-delivered');

    await stop.getByRole('link', { name: trackingCode }).click();
    const timeline = page.getByRole('list', { name: 'Timeline' });
    await poll(() => timeline.locator('li').count()).toBeGreaterThanOrEqual(5);
    const text = await timeline.textContent();
    for (const type of ['ParcelRegistered', 'ParcelScanned', 'ParcelAddedToRoute', 'ParcelOutForDelivery', 'DeliveryAttempted']) expect(text).toContain(type);
    await page.getByText('Delivered', { exact: true }).first().waitFor();
    // Under the estimate, what it rests on: how long deliveries to the parcel's region took, by weather.
    const regionTimes = page.getByRole('table', { name: /^Deliveries to [a-z][a-z0-9-]* by weather$/ });
    await regionTimes.waitFor();
    expect(await regionTimes.getByRole('columnheader').allTextContents()).toEqual(['Weather', 'Deliveries', 'Average', 'Range']);
    await poll(() => regionTimes.locator('tbody tr').count()).toBeGreaterThan(0);
    // Delivered: the card says how long it took, and none of the estimate's basis, which no longer applies.
    const etaCard = page.getByRole('region', { name: 'Estimated delivery' });
    await etaCard.getByText('Delivered under a minute after registration; no estimate needed.').waitFor();
    expect(await etaCard.getByText('Past deliveries').count()).toBe(0);
    await harness.shot('06-parcel-detail');
  });

  it('finds a parcel by full-text search', async () => {
    const { page } = harness;
    await go('#/parcels');
    await page.getByLabel('Search parcels').fill('Testbury');
    await poll(() => page.evaluate(() => window.location.hash)).toContain('search=Testbury');
    await page.locator('.vtable-row').filter({ hasText: trackingCode }).waitFor();
    expect(await page.locator('.vtable-row').count()).toBe(1);
  });

  it('filters the event history by correlation id', async () => {
    const { page } = harness;
    await page.getByLabel('Search parcels').fill('');
    await go('#/events?type=DeliveryAttempted');
    await page.locator('.vtable-row').first().click();
    const detail = page.getByTestId('event-detail');
    const correlation = (await detail.locator('a[href*="correlationId"]').textContent()) ?? '';
    await detail.locator('a[href*="correlationId"]').click();
    await poll(() => page.evaluate(() => window.location.hash)).toContain(`correlationId=${correlation}`);
    await poll(() => page.locator('.vtable-row').count()).toBeGreaterThanOrEqual(2);
    const types = await page.locator('.vtable-row span.strong').allTextContents();
    expect(types).toContain('RouteStopClosed');
    expect(await page.getByLabel('Correlation id').inputValue()).toBe(correlation);
    await harness.shot('07-events-by-correlation');
    await go('#/event/1');
    await page.getByTestId('event-detail').waitFor();
    await harness.shot('08-event-detail');
  });

  it('rebuilds with a progress bar while the parcel list keeps its rows', async () => {
    const { page } = harness;
    const listPage = await page.context().newPage();
    await listPage.goto(`http://127.0.0.1:${harness.host.port}/#/parcels`);
    await listPage.locator('.vtable-row').first().waitFor();

    await go('#/projections');
    await page.getByTestId('projection-parcel_summary').waitFor();
    // Record every rebuild phase the page shows, however briefly, so a fast rebuild is still observed.
    await page.evaluate(() => {
      const seen: string[] = [];
      (window as unknown as { rebuildPhases: string[] }).rebuildPhases = seen;
      new MutationObserver(() => {
        const phase = document.querySelector('[data-testid="rebuild-parcel_summary"] .strong')?.textContent;
        if (phase && seen[seen.length - 1] !== phase) seen.push(phase);
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
    });
    const phases = () => page.evaluate(() => (window as unknown as { rebuildPhases: string[] }).rebuildPhases);
    await page.getByRole('button', { name: 'Rebuild all' }).click();
    const rowCounts: number[] = [];
    let shot = false;
    for (let round = 0; round < 600 && !(await phases()).includes('done'); round++) {
      await listPage.getByRole('button', { name: /Refresh/ }).click();
      rowCounts.push(await listPage.locator('.vtable-row').count());
      expect(await listPage.locator('.state-error').count()).toBe(0);
      if (!shot && (await page.getByRole('progressbar').count()) > 0) {
        shot = true;
        await harness.shot('09-projections-rebuilding');
      }
    }
    const seen = await phases();
    expect(seen).toContain('done');
    expect(seen.some((phase) => ['loading', 'indexing', 'verifying', 'swapping'].includes(phase))).toBe(true);
    expect(rowCounts.length).toBeGreaterThan(0);
    expect(Math.min(...rowCounts)).toBeGreaterThan(0);
    await page.getByRole('button', { name: 'Verify log and read models' }).click();
    // Verify rebuilds a scratch copy of every read model: allow for a busy 2-core machine.
    await page.getByTestId('verify-report').or(page.locator('.card').filter({ hasText: 'Verify' }).getByRole('alert')).waitFor({ timeout: 120_000 });
    expect(await page.locator('.card').filter({ hasText: 'Verify' }).getByRole('alert').allTextContents()).toEqual([]);
    await page.getByTestId('verify-report').waitFor();
    await harness.shot('10-projections-verified');
    await listPage.close();
  }, 240_000);

  it('jumps with the command palette and switches to the dark theme', async () => {
    const { page } = harness;
    await go('#/overview');
    await page.keyboard.press('Control+k');
    await page.getByLabel('Jump to').fill(trackingCode);
    await harness.shot('11-command-palette');
    await page.keyboard.press('Enter');
    await poll(() => page.evaluate(() => window.location.hash)).toMatch(/^#\/parcel\//);
    await page.getByRole('button', { name: 'Dark theme' }).click();
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    await page.getByRole('list', { name: 'Timeline' }).locator('li').first().waitFor();
    await harness.shot('12-parcel-detail-dark');
    await go('#/overview');
    await page.locator('.status-tile-count').first().waitFor();
    await page.waitForTimeout(1500);
    await harness.shot('13-overview-dark');
    await go('#/field');
    await page.getByRole('tab', { name: /Delivery attempt/ }).click();
    await page.getByRole('radio', { name: 'Failed' }).check({ force: true });
    await page.getByLabel('Tracking code').fill('NOSUCHCODE1');
    await page.getByRole('button', { name: 'Record attempt' }).click();
    await page.getByTestId('dl-trackingCode-error').waitFor();
    await harness.shot('14-field-work-dark-error');
  });

  it('refuses requests without the token', async () => {
    expect(JSON.parse(harness.printed.at(-1) ?? '{}')).toMatchObject({ url: harness.host.url, port: harness.host.port });
    const base = `http://127.0.0.1:${harness.host.port}`;
    expect((await fetch(`${base}/`)).status).toBe(401);
    expect((await fetch(`${base}/?token=wrong`)).status).toBe(401);
    const query = { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ params: {} }) };
    expect((await fetch(`${base}/api/call/depots.board`, query)).status).toBe(401);
    const withToken = await fetch(`${base}/api/call/depots.board`, { ...query, headers: { ...query.headers, 'x-waybill-token': harness.host.token } });
    expect(withToken.status).toBe(200);
    expect(await withToken.json()).toMatchObject({ ok: true, data: expect.any(Array) });
    const page = await harness.browser.newPage();
    const response = await page.goto(`${base}/#/overview`);
    expect(response?.status()).toBe(401);
    expect(await page.textContent('body')).toContain('access token');
    await page.close();
  });
});

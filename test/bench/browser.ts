// Browser mode in a real browser (issue 3's speed figures): how soon the first screen is usable
// after the page loads, and how many pages the virtualized tables fetch while scrolling, at the
// benchmark's event count. Runs Debian's Chromium through playwright-core against startBrowserHost.
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { callPath, type QueryName } from '../../db/contract/index.ts';
import { startBrowserHost } from '../../db/serve/startBrowserHost.ts';
import { buildRenderer } from '../../electron/build/build.ts';
import { launchChromium } from '../e2e/harness.ts';
import type { BenchResult } from './child.ts';
import { openBenchCore } from './lib/benchCore.ts';
import { copyDataset } from './lib/dataset.ts';
import { atMost, makeFigure, type Figure } from './lib/figures.ts';
import { fmt, mdTable, say } from './lib/log.ts';
import { distribution, sleep } from './lib/stats.ts';
import type { BenchConfig } from './lib/types.ts';

const FIRST_SCREEN_RUNS = 7;
const WARM_UP_RUNS = 2;
const VIEWPORTS_SCROLLED = 40;

/** Counts calls of one query (`POST /api/call/<name>`) while `work` runs. */
async function countQueries(page: Page, name: QueryName, work: () => Promise<void>): Promise<number> {
  let count = 0;
  const onRequest = (request: { url(): string }) => {
    if (new URL(request.url()).pathname === callPath(name)) count++;
  };
  page.on('request', onRequest);
  await work();
  page.off('request', onRequest);
  return count;
}

/** Scrolls the screen's virtual table one viewport at a time; returns pages fetched per viewport. */
async function pagesPerViewport(page: Page, url: string, hash: string, query: QueryName): Promise<{ pages: number; viewports: number }> {
  await page.goto(`${url}${hash}`, { waitUntil: 'load' });
  await page.waitForSelector('.vrows .vrow', { timeout: 30_000 });
  const pages = await countQueries(page, query, async () => {
    for (let i = 0; i < VIEWPORTS_SCROLLED; i++) {
      await page.evaluate(() => {
        const list = document.querySelector('.vrows');
        if (list) list.scrollTop += list.clientHeight;
      });
      await sleep(60);
    }
    await sleep(500);
  });
  return { pages, viewports: VIEWPORTS_SCROLLED };
}

export async function run(config: BenchConfig): Promise<BenchResult> {
  const dataDir = copyDataset(config.baseDir, join(config.workDir, 'data'));
  say('browser', 'building the console page if its sources changed');
  const staticDir = buildRenderer(join(config.repoRoot, 'dist'));
  const waybill = await openBenchCore({ dataDir, projectors: 'workers' });
  await waybill.core.catchUpAll();
  await sleep(2000);
  const host = await startBrowserHost({ core: waybill.core.endpoint, session: { actor: 'bench', surface: 'browser' }, staticDir, port: 0 });
  const browser = await launchChromium();
  const figures: Figure[] = [];
  const sections: string[] = [];
  try {
    const afterLoad: number[] = [];
    const fromNavigation: number[] = [];
    for (let i = 0; i < WARM_UP_RUNS + FIRST_SCREEN_RUNS; i++) {
      const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
      const page = await context.newPage();
      await page.goto(host.url, { waitUntil: 'load' });
      // Usable = the overview's depot board and status counts are on screen (its queries answered).
      await page.waitForSelector('table.table-compact tbody tr', { timeout: 30_000 });
      const timing = await page.evaluate(() => {
        const navigation = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
        return { ready: performance.now(), loaded: navigation.loadEventEnd };
      });
      if (i >= WARM_UP_RUNS) {
        afterLoad.push(Math.max(0, timing.ready - timing.loaded));
        fromNavigation.push(timing.ready);
      }
      await context.close();
    }
    const ready = distribution(afterLoad);
    figures.push(
      makeFigure('browser', {
        name: 'browser.first-screen',
        unit: 'ms',
        value: ready.p50,
        p99: ready.max,
        max: ready.max,
        runs: afterLoad.length,
        baseline: distribution(fromNavigation).p50,
        baselineName: 'navigation start to the same moment (includes loading the page)',
        target: atMost(1500, 'first screen interactive ≤ 1.5 s after the page loads', 'p99'),
        note: 'page load event → overview depot board rendered; p99 column is the worst of the runs',
      }),
    );

    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    await page.goto(host.url, { waitUntil: 'load' });
    const rows: (string | number)[][] = [];
    for (const [screen, hash, query] of [
      ['parcels', '#/parcels', 'parcels.list'],
      ['events', '#/events', 'events.list'],
    ] as const) {
      const scrolled = await pagesPerViewport(page, host.url, hash, query);
      const perViewport = scrolled.pages / scrolled.viewports;
      rows.push([screen, scrolled.viewports, scrolled.pages, fmt(perViewport, 2)]);
      figures.push(
        makeFigure('browser', {
          name: `browser.${screen}.pages-per-viewport`,
          unit: 'pages/viewport',
          value: perViewport,
          runs: scrolled.viewports,
          target: atMost(1, 'scrolling requests at most one page per viewport of rows'),
        }),
      );
    }
    await context.close();
    sections.push(
      [
        `Debian's Chromium (headless) against \`startBrowserHost\` on ${config.events.toLocaleString('en')} events, 1440×900 window.`,
        `First screen: ${FIRST_SCREEN_RUNS} fresh page loads after ${WARM_UP_RUNS} excluded warm-ups; measured from the page's load event to the overview's depot board rows being rendered. Median ${fmt(ready.p50)} ms, worst ${fmt(ready.max)} ms.`,
        '',
        'Scrolling: the virtualized table scrolled one viewport at a time; every call of its list query (`POST /api/call/<query>`) counted.',
        '',
        mdTable(['screen', 'viewports scrolled', 'pages fetched', 'pages per viewport'], rows),
      ].join('\n'),
    );
  } finally {
    await browser.close();
    await host.close();
    await waybill.close();
  }
  return { figures, charts: [], sections: sections.map((markdown) => ({ markdown })) };
}

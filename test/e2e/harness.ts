import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { Output } from '../../db/cli/output.ts';
import { startServe } from '../../db/serve/startServe.ts';
import type { BrowserHost } from '../../db/serve/startBrowserHost.ts';
import { chromiumPath } from './chromiumPath.ts';

export { chromiumPath };

export const screenshotDir = join(fileURLToPath(new URL('../..', import.meta.url)), 'test-results');

export interface ConsoleHarness {
  host: BrowserHost;
  browser: Browser;
  page: Page;
  dataDir: string;
  /** What `waybill serve --json` printed. */
  printed: string[];
  /** Saves a full-window screenshot as test-results/<name>.png. */
  shot(name: string, page?: Page, options?: { fullPage?: boolean }): Promise<void>;
  close(): Promise<void>;
}

/** Launches Debian's Chromium; never downloads a browser. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(chromiumPath)) {
    throw new Error(`Chromium is missing at ${chromiumPath}: run \`sudo apt-get install -y chromium\` (npm test does it when run as root). The browser tests do not download browsers.`);
  }
  return chromium.launch({
    executablePath: chromiumPath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

/**
 * `waybill serve` (the real core and browser host) and a Chromium page for its URL: on a fresh
 * data folder, or on `prepare`'s folder (filled before serve opens it) with extra serve flags.
 */
export async function startConsole(options: { prepare?: (dataDir: string) => Promise<void>; readOnly?: boolean } = {}): Promise<ConsoleHarness> {
  const browser = await launchChromium();
  const dataDir = mkdtempSync(join(tmpdir(), 'waybill-e2e-'));
  await options.prepare?.(dataDir);
  const printed: string[] = [];
  // What `waybill serve --json` prints, kept instead of printed.
  const out: Pick<Output, 'answer'> = { answer: (value) => void printed.push(JSON.stringify(value)) };
  const served = await startServe({ dataDir, port: 0, readOnly: options.readOnly ?? false, out });
  const host = served.host;
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(error.message));
  mkdirSync(screenshotDir, { recursive: true });
  return {
    host,
    browser,
    page,
    dataDir,
    printed,
    async shot(name, target = page, options = {}) {
      await target.screenshot({ path: join(screenshotDir, `${name}.png`), fullPage: options.fullPage ?? false });
    },
    async close() {
      await browser.close();
      await served.close();
      rmSync(dataDir, { recursive: true, force: true });
      if (problems.length > 0) throw new Error(`The page threw: ${problems.join('; ')}`);
    },
  };
}

import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { defaultDataDir } from '../core/dataPaths.ts';
import { withReadOnlyHint } from '../core/openFailures.ts';
import { openWaybill } from '../core/openWaybill.ts';
import { WaybillError } from '../errors.ts';
import { continueWithBoundedArenas } from '../runtime/mallocArenas.ts';
import { buildRendererIfNeeded } from './buildRenderer.ts';
import { startBrowserHost, type BrowserHost } from './startBrowserHost.ts';

const repoRoot = resolve(fileURLToPath(new URL('../..', import.meta.url)));
export const rendererOutDir = resolve(repoRoot, 'dist', 'renderer');

export interface ServeHandle {
  host: BrowserHost;
  dataDir: string;
  readOnly: boolean;
  close(): Promise<void>;
}

const usage = 'Usage: waybill serve [--data DIR] [--port P] [--read-only] [--json]';

/**
 * `npm run serve` and `waybill serve`: opens the data folder (read-only with --read-only), builds
 * the page if needed, and serves both on 127.0.0.1. A folder that cannot be opened fails with its
 * typed error before anything is built.
 */
export async function runServe(argv: readonly string[], log: (line: string) => void = console.log): Promise<ServeHandle> {
  const { values } = parseArgs({
    args: [...argv],
    options: { data: { type: 'string' }, port: { type: 'string' }, json: { type: 'boolean' }, 'read-only': { type: 'boolean' }, help: { type: 'boolean' } },
    strict: true,
  });
  if (values.help) {
    log(usage);
    process.exit(0);
  }
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be a port number. ${usage}`);
  const dataDir = resolve(values.data ?? defaultDataDir());
  const readOnly = values['read-only'] === true;

  const waybill = await openWaybill({ dataDir, readOnly }).catch((error: unknown) => {
    throw readOnly ? error : withReadOnlyHint(error, 'To look at it in the browser, start serve again with --read-only.');
  });
  let host: BrowserHost;
  try {
    await buildRendererIfNeeded(repoRoot, rendererOutDir, values.json ? () => undefined : log);
    host = await startBrowserHost({ waybill, port, staticDir: rendererOutDir });
  } catch (error) {
    await waybill.close();
    throw error;
  }
  let closing: Promise<void> | null = null;
  const close = () => (closing ??= host.close().then(() => waybill.close()));
  const onSignal = () => {
    void close().then(() => process.exit(0));
  };
  // `on`, not `once`: a second Ctrl+C while closing must not cut the close short.
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  // Only now say how to stop: from the moment it is printed, Ctrl+C closes gracefully.
  if (values.json) log(JSON.stringify({ url: host.url, port: host.port, dataDir, readOnly }));
  else log(`Waybill is serving ${dataDir}${readOnly ? ' read-only (nothing can be recorded)' : ''}\nOpen ${host.url}\nPress Ctrl+C to stop.`);
  return {
    host,
    dataDir,
    readOnly,
    close: () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      return close();
    },
  };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  void continueWithBoundedArenas().then(serveFromCommandLine);
}

function serveFromCommandLine(): void {
  runServe(process.argv.slice(2)).catch((error: unknown) => {
    // A typed error (say READ_ONLY or CORRUPT at open) is shown as its code and message, never a stack trace.
    console.error(error instanceof WaybillError ? `waybill: ${error.code}: ${error.message}` : error instanceof Error ? error.message : error);
    process.exit(1);
  });
}

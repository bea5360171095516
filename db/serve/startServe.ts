import { resolve } from 'node:path';
import type { Output } from '../cli/output.ts';
import type { Session } from '../contract/index.ts';
import { localUser } from '../core/localUser.ts';
import { withReadOnlyHint } from '../core/openFailures.ts';
import { startCoreProcess } from '../core/process/startCoreProcess.ts';
import { nodeProcessLauncher } from '../runtime/processLauncher.ts';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { defaultBuiltFiles } from '../runtime/builtFiles.ts';
import { startBrowserHost, type BrowserHost } from './startBrowserHost.ts';


export interface ServeHandle {
  host: BrowserHost;
  dataDir: string;
  readOnly: boolean;
  close(): Promise<void>;
}

/** The page acts as the person who started `waybill serve`, in browser mode. */
export const browserSession = (): Session => ({ actor: localUser(), surface: 'browser' });

/**
 * `waybill serve` (and `npm run serve`): starts the core in a process of its own on the data folder
 * (read-only with --read-only), and serves the console and the core's calls on 127.0.0.1 until
 * Ctrl+C; this process carries bytes and runs no SQL. A folder that cannot be opened fails with
 * its typed error before anything is served.
 */
export async function startServe(options: { dataDir: string; port: number; readOnly: boolean; out: Pick<Output, 'answer'> }): Promise<ServeHandle> {
  const { out, readOnly } = options;
  const dataDir = resolve(options.dataDir);
  const files = defaultBuiltFiles();
  if (!existsSync(join(files.renderer, 'index.html'))) throw new Error(`waybill: the console page is not built (${files.renderer}); run \`npm run build\` first.`);
  const core = await startCoreProcess({ launcher: nodeProcessLauncher, core: { dataDir, readOnly, files } }).catch((error: unknown) => {
    throw readOnly ? error : withReadOnlyHint(error, 'To look at it in the browser, start serve again with --read-only.');
  });
  let host: BrowserHost;
  try {
    host = await startBrowserHost({ core, session: browserSession(), port: options.port, staticDir: files.renderer });
  } catch (error) {
    await core.close();
    throw error;
  }
  let closing: Promise<void> | null = null;
  const close = () => (closing ??= host.close().then(() => core.close()));
  const onSignal = () => {
    void close().then(() => process.exit(0));
  };
  // `on`, not `once`: a second Ctrl+C while closing must not cut the close short.
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  // Only now say how to stop: from the moment it is printed, Ctrl+C closes gracefully.
  out.answer(
    { ok: true, url: host.url, port: host.port, dataDir, readOnly },
    `Waybill is serving ${dataDir}${readOnly ? ' read-only (nothing can be recorded)' : ''}\nOpen ${host.url}\nPress Ctrl+C to stop.`,
  );
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

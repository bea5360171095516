import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';

/** The bundled entries Waybill starts threads and processes from (`npm run build` makes them). */
export const entryNames = ['coreProcess', 'projector', 'queryWorker', 'walCheckpointer', 'writer'] as const;
export type EntryName = (typeof entryNames)[number];

/** Where the build's output is: passed down from the host as an option, never through the environment. */
export interface BuiltFiles {
  /** The folder holding `<entry>.cjs`. */
  entries: string;
  /** The log's drizzle migrations. */
  migrations: string;
  /** The built console page (vite's output), which browser mode serves. */
  renderer: string;
}

const here = fileURLToPath(import.meta.url);

/**
 * Where the running code finds its entries by default: in a bundle (the CLI, browser mode, the
 * desktop app) beside that bundle; from TypeScript source (tests, scripts) in the repository's
 * dist/node, with the migrations from the source tree they are copied from.
 */
export function defaultBuiltFiles(): BuiltFiles {
  if (!here.endsWith('.ts')) return { entries: dirname(here), migrations: join(dirname(here), 'migrations'), renderer: join(dirname(here), '..', 'renderer') };
  const root = resolve(dirname(here), '..', '..');
  return { entries: join(root, 'dist', 'node'), migrations: join(root, 'db', 'log', 'migrations'), renderer: join(root, 'dist', 'renderer') };
}

/** The bundled file of an entry; a clear error (what to run) when the build is missing. */
export function entryPath(files: BuiltFiles, name: EntryName): string {
  const file = join(files.entries, `${name}.cjs`);
  if (!existsSync(file)) throw new Error(`waybill: ${file} is missing; run \`npm run build\` first.`);
  return file;
}

/** A worker thread running an entry, with `data` as its workerData. */
export function startEntryThread(files: BuiltFiles, name: EntryName, data: object): Worker {
  return new Worker(entryPath(files, name), { workerData: data });
}

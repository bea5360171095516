import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { WaybillError } from '../../contract/waybillError.ts';
import { startEmbeddedCluster } from './embeddedCluster.ts';

/** The database the embedded cluster keeps the server's tables in. */
const EMBEDDED_DATABASE = 'waybill';

/** What a sync server's folder remembers (server.json). */
interface FolderConfig {
  databaseUrl?: string;
}

export interface ServerDatabase {
  databaseUrl: string;
  /** Where it is, for a person: the embedded cluster's folder, or the given URL without its password. */
  description: string;
  /** Stops the embedded cluster if this call started it (one already running, a server's say, is left running). */
  close(): Promise<void>;
}

function withoutPassword(databaseUrl: string): string {
  try {
    const url = new URL(databaseUrl);
    url.password = '';
    return url.toString();
  } catch {
    throw new WaybillError('VALIDATION', '--database-url must be a PostgreSQL URL, like postgres://user:password@host:5432/waybill.', { field: 'database-url' });
  }
}

async function ensureDatabase(serverUrl: string, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    // Two processes may get here together: the loser's "already exists" (42P04) is fine.
    if (found.rowCount === 0) await client.query(`CREATE DATABASE ${name}`).catch((error: { code?: string }) => (error.code === '42P04' ? undefined : Promise.reject(error)));
  } finally {
    await client.end();
  }
}

/**
 * The database a sync server folder names: `databaseUrl` when given (remembered in the folder's
 * server.json), else the one remembered, else a PostgreSQL embedded in the folder (`postgres/`),
 * started when it is not running, with a database `waybill` made on it.
 */
export async function openServerDatabase(dir: string | undefined, databaseUrl: string | undefined, log: (line: string) => void = () => undefined): Promise<ServerDatabase> {
  const configFile = dir === undefined ? undefined : join(dir, 'server.json');
  if (databaseUrl !== undefined) {
    const description = withoutPassword(databaseUrl);
    if (dir !== undefined && configFile !== undefined) {
      mkdirSync(dir, { recursive: true });
      writeFileSync(configFile, `${JSON.stringify({ databaseUrl } satisfies FolderConfig, null, 2)}\n`, { mode: 0o600 });
    }
    return { databaseUrl, description, close: async () => undefined };
  }
  if (dir === undefined || configFile === undefined) {
    throw new WaybillError('VALIDATION', 'Name the sync server folder with --data DIR (its embedded PostgreSQL lives there), or its database with --database-url URL.', { field: 'data' });
  }
  const remembered = existsSync(configFile) ? (JSON.parse(readFileSync(configFile, 'utf8')) as FolderConfig).databaseUrl : undefined;
  if (remembered !== undefined) return { databaseUrl: remembered, description: withoutPassword(remembered), close: async () => undefined };
  const clusterDir = join(dir, 'postgres');
  // A running cluster has its postmaster.pid in its data folder (embeddedCluster.ts keeps it in pg/).
  const wasRunning = existsSync(join(clusterDir, 'pg', 'postmaster.pid'));
  const cluster = await startEmbeddedCluster(clusterDir, log);
  const close = wasRunning ? async () => undefined : () => cluster.stop();
  try {
    await ensureDatabase(cluster.url, EMBEDDED_DATABASE);
  } catch (error) {
    await close();
    throw error;
  }
  return { databaseUrl: cluster.databaseUrl(EMBEDDED_DATABASE), description: `the PostgreSQL embedded in ${clusterDir}`, close };
}

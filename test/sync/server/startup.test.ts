import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { deviceAnswerSchema } from '../../../db/contract/syncWire.ts';
import { migrateSyncStore, serverStatus, startSyncServer } from '../../../db/sync/server/index.ts';
import { tempDataDir } from '../../helpers/tempDataDir.ts';
import { freshDatabase } from '../../helpers/testPostgres.ts';

const drops: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const drop of drops.splice(0)) await drop();
});
async function database(): Promise<string> {
  const made = await freshDatabase();
  drops.push(made.drop);
  return made.url;
}

describe('starting the sync server', () => {
  it('three connections migrating one new database at once migrate it once, and the server keeps one identity from then on', async () => {
    const url = await database();
    const applied = await Promise.all([migrateSyncStore(url), migrateSyncStore(url), migrateSyncStore(url)]);
    expect(applied.map((a) => a.applied).sort()).toEqual([0, 0, 2]);
    const first = await serverStatus(url);
    const servers = await Promise.all([startSyncServer({ databaseUrl: url }), startSyncServer({ databaseUrl: url })]);
    await Promise.all(servers.map((server) => server.close()));
    expect(await serverStatus(url)).toEqual({ ...first, head: 0, devices: 0, forks: 0, quarantined: 0 });
  });

  it('refuses a database a newer Waybill migrated, and changes nothing', async () => {
    const url = await database();
    await migrateSyncStore(url);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await client.query("INSERT INTO drizzle.__drizzle_migrations (hash, created_at) VALUES ('from-the-future', 99999999999999)");
      await expect(startSyncServer({ databaseUrl: url })).rejects.toMatchObject({ code: 'CONFLICT', rule: 'database_from_the_future' });
      expect(Number((await client.query('SELECT count(*) AS n FROM drizzle.__drizzle_migrations')).rows[0].n)).toBe(3);
    } finally {
      await client.end();
    }
  });

  it('with PostgreSQL unreachable, start fails as UNAVAILABLE (retryable)', async () => {
    const url = new URL(await database());
    url.port = '1';
    await expect(startSyncServer({ databaseUrl: url.toString() })).rejects.toMatchObject({ code: 'UNAVAILABLE', retryable: true });
  });

  it('refuses plain HTTP off loopback (before it touches the database or a port)', async () => {
    for (const host of ['0.0.0.0', '192.168.1.10', 'sync.example.com']) {
      await expect(startSyncServer({ databaseUrl: 'postgres://nobody@127.0.0.1:1/none', host })).rejects.toMatchObject({ code: 'VALIDATION', field: 'host', rule: 'plain_http_off_loopback' });
    }
  });

  it('with a certificate and key it serves HTTPS', async () => {
    const dir = tempDataDir('sync-tls');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '2', '-subj', '/CN=127.0.0.1', '-keyout', dir.file('key.pem'), '-out', dir.file('cert.pem')], {
      stdio: 'ignore',
    });
    const cert = readFileSync(dir.file('cert.pem'), 'utf8');
    const server = await startSyncServer({ databaseUrl: await database(), tls: { cert, key: readFileSync(dir.file('key.pem'), 'utf8') } });
    try {
      expect(server.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      const reply = await new Promise<{ status: number; body: unknown }>((resolve, reject) => {
        request(`${server.url}/v1/device`, { ca: cert, checkServerIdentity: () => undefined }, (res) => {
          let text = '';
          res.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as unknown }));
        })
          .on('error', reject)
          .end();
      });
      expect(reply.status).toBe(401);
      expect(deviceAnswerSchema.parse(reply.body)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', rule: 'unauthenticated' } });
    } finally {
      await server.close();
    }
  });
});

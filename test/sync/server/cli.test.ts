import { randomUUID } from 'node:crypto';
import { chmodSync, existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deviceAnswerSchema, enrolAnswerSchema, pushAnswerSchema } from '../../../db/contract/syncWire.ts';
import { runCli, startCli, type ProcessOutcome } from '../../helpers/childProcesses.ts';
import { createTempDataDir, tempDataDir, type TempDataDir } from '../../helpers/tempDataDir.ts';
import { freshDatabase } from '../../helpers/testPostgres.ts';
import { deviceChain } from './deviceChain.ts';
import { answer, call, deviceClient } from './syncHttp.ts';

/** What --json prints: exactly one JSON line on stdout and nothing on stderr. */
function jsonAnswer<T = Record<string, unknown>>(outcome: ProcessOutcome): T {
  expect(outcome.stderr).toBe('');
  expect(outcome.stdout).toMatch(/^[^\n]+\n$/);
  return JSON.parse(outcome.stdout) as T;
}

let database: Awaited<ReturnType<typeof freshDatabase>>;
let folder: TempDataDir;
beforeAll(async () => {
  database = await freshDatabase();
  folder = createTempDataDir('sync-server-cli');
});
afterAll(async () => {
  folder.remove();
  await database.drop();
});
const syncServer = (args: string[]) => runCli(['sync-server', ...args, '--json'], folder.path);

describe('waybill sync-server', () => {
  it('start serves on the URL it prints; enroll, devices, status and revoke work on the database it remembers; SIGTERM stops it cleanly', async () => {
    const server = startCli(['sync-server', 'start', '--json', '--port', '0', '--database-url', database.url, '--data', folder.path]);
    try {
      const started = JSON.parse(await server.firstLine()) as { ok: boolean; url: string };
      expect(started).toEqual({ ok: true, url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/) });

      const enrolled = await syncServer(['enroll', '--device', 'CLI laptop', '--expires-in', '5']);
      expect(enrolled.code).toBe(0);
      const { code, expiresAt } = jsonAnswer<{ code: string; expiresAt: string }>(enrolled);
      expect(jsonAnswer(enrolled)).toEqual({ ok: true, device: 'CLI laptop', code: expect.any(String), expiresAt: expect.any(String) });
      expect(Date.parse(expiresAt) - Date.now()).toBeLessThanOrEqual(5 * 60_000);

      const deviceId = randomUUID();
      const spent = answer(enrolAnswerSchema, await call(started.url, 'POST', '/v1/enrol', { body: { code, deviceId } }));
      if (!spent.ok) throw new Error(JSON.stringify(spent));
      const device = deviceClient(started.url, { deviceId, secret: spent.secret }, { head: () => 5 });
      expect(answer(pushAnswerSchema, await device.push(deviceChain(3, { deviceId }).events))).toMatchObject({ ok: true, acked: 3, stored: 3 });

      const listed = await syncServer(['devices']);
      expect(listed.code).toBe(0);
      expect(jsonAnswer(listed)).toEqual({
        ok: true,
        devices: [
          { deviceId, name: 'CLI laptop', enrolledAt: expect.any(String), lastSeenAt: expect.any(String), revokedAt: null, acked: 3, pending: 2, skewMs: expect.any(Number), skewFlagged: false, forked: false },
        ],
      });
      const status = await syncServer(['status']);
      expect(jsonAnswer(status)).toEqual({ ok: true, serverId: spent.serverId, head: 3, devices: 1, forks: 0, quarantined: 0 });

      const revoked = await syncServer(['revoke', 'CLI laptop']);
      expect(jsonAnswer(revoked)).toEqual({ ok: true, deviceId, name: 'CLI laptop', revokedAt: expect.any(String) });
      expect(answer(deviceAnswerSchema, await device.device())).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', rule: 'revoked' } });
      expect(jsonAnswer(await syncServer(['revoke', 'No such laptop']))).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', field: 'device' } });
    } finally {
      const stopped = await server.stop('SIGTERM');
      expect(stopped).toMatchObject({ code: 0, stderr: '' });
    }
  });

  it('without --json it speaks to a person: the code and its expiry, and a table of devices', async () => {
    const enrolled = await runCli(['sync-server', 'enroll', '--device', 'Front desk'], folder.path);
    expect(enrolled).toEqual({ code: 0, stderr: '', stdout: expect.stringMatching(/^Enrolment code for Front desk: [A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}\nIt works once, until .+\n/) });
    const table = await runCli(['sync-server', 'devices'], folder.path);
    expect(table).toEqual({ code: 0, stderr: '', stdout: expect.stringMatching(/^NAME +DEVICE +ACKED +PENDING +LAST SEEN +CLOCK SKEW +STATE\nCLI laptop .* revoked\n$/) });
  });

  it('bad actions and flags are typed VALIDATION errors naming the flag, and start nothing', async () => {
    const cases: [string[], object][] = [
      [['sync-server', '--json'], { field: 'action' }],
      [['sync-server', 'launch', '--json'], { field: 'action' }],
      [['sync-server', 'enroll', '--json'], { field: 'device' }],
      [['sync-server', 'status', '--port', '80', '--json'], { field: 'port' }],
      [['sync-server', 'start', '--port', 'eighty', '--json'], { field: 'port' }],
      [['sync-server', 'start', '--tls-cert', 'cert.pem', '--json'], { field: 'tls-key' }],
      [['sync-server', 'start', '--host', '0.0.0.0', '--database-url', database.url, '--json'], { field: 'host', rule: 'plain_http_off_loopback' }],
      [['sync-server', 'enroll', '--device', 'x', '--expires-in', '0', '--json'], { field: 'expires-in' }],
    ];
    const outcomes = await Promise.all(cases.map(([args]) => runCli(args, folder.path)));
    for (const [i, [args, error]] of cases.entries()) {
      const outcome = outcomes[i]!;
      expect(outcome.code, args.join(' ')).toBe(1);
      expect(jsonAnswer(outcome)).toEqual({ ok: false, error: { code: 'VALIDATION', message: expect.any(String), ...error } });
    }
  });

  it('with no database named it keeps one in an embedded PostgreSQL under --data, serves from it, and SIGTERM stops both', async () => {
    const dir = tempDataDir('sync-server-embedded');
    // As root, PostgreSQL runs as `postgres`, which must reach the folder (mkdtemp makes it 0700).
    chmodSync(dir.path, 0o755);
    const server = startCli(['sync-server', 'start', '--json', '--port', '0', '--data', dir.path]);
    let stopped: ProcessOutcome | undefined;
    try {
      const started = JSON.parse(await server.firstLine()) as { ok: boolean; url: string };
      expect(started).toEqual({ ok: true, url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/) });
      expect(existsSync(dir.file('postgres', 'pg', 'postmaster.pid'))).toBe(true);
      expect(jsonAnswer(await runCli(['sync-server', 'status', '--json'], dir.path))).toEqual({ ok: true, serverId: expect.any(String), head: 0, devices: 0, forks: 0, quarantined: 0 });
      const unknown = await deviceClient(started.url, { deviceId: randomUUID(), secret: 'x'.repeat(43) }).device();
      expect(unknown.status).toBe(401);
      // status found the server's cluster running and left it so.
      expect((await call(started.url, 'GET', '/v1/nowhere')).status).toBe(404);
      expect(existsSync(dir.file('postgres', 'pg', 'postmaster.pid'))).toBe(true);
    } finally {
      stopped = await server.stop('SIGTERM');
    }
    expect(stopped).toEqual({ code: 0, stdout: expect.any(String), stderr: '' });
    expect(existsSync(dir.file('postgres', 'pg', 'postmaster.pid'))).toBe(false);
  });
});

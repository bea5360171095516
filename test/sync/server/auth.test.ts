import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deviceAnswerSchema, pullAnswerSchema, pushAnswerSchema } from '../../../db/contract/syncWire.ts';
import { listDevices, revokeDevice } from '../../../db/sync/server/index.ts';
import { deviceChain } from './deviceChain.ts';
import { answer, call, deviceClient, deviceHeaders, enrol } from './syncHttp.ts';
import { syncServerFixture } from './syncServerFixture.ts';

const fixture = syncServerFixture({ skewThresholdMs: 60_000 });
let db: pg.Client;
beforeAll(async () => {
  db = new pg.Client({ connectionString: fixture.databaseUrl });
  await db.connect();
});
afterAll(() => db.end());
const eventCount = async () => Number((await db.query<{ n: string }>('SELECT count(*) AS n FROM events')).rows[0]!.n);
const unauthenticated = { ok: false, error: { code: 'FORBIDDEN', message: expect.stringContaining('credentials'), rule: 'unauthenticated' } };

describe('device credentials', () => {
  it('no credentials, a wrong secret, or an unknown device is a 401 on every route, and nothing is stored', async () => {
    const device = await enrol(fixture.url, fixture.databaseUrl, 'Guarded');
    const events = deviceChain(2, { deviceId: device.deviceId }).events;
    const before = await eventCount();
    const attempts = [
      await call(fixture.url, 'POST', '/v1/push', { body: { events } }),
      await deviceClient(fixture.url, { deviceId: device.deviceId, secret: `${device.secret}x` }).push(events),
      await deviceClient(fixture.url, { deviceId: device.deviceId, secret: 'A'.repeat(43) }).pull(0),
      await deviceClient(fixture.url, { deviceId: '00000000-0000-4000-8000-000000000000', secret: device.secret }).device(),
      await call(fixture.url, 'GET', '/v1/device', { headers: { authorization: `Basic ${device.deviceId}:${device.secret}` } }),
    ];
    for (const reply of attempts) {
      expect(reply.status).toBe(401);
      expect(answer(pushAnswerSchema, reply)).toEqual(unauthenticated);
    }
    expect(await eventCount()).toBe(before);
  });

  it('a device pushing another device’s events is refused (403 not_your_device) and nothing is stored', async () => {
    const device = await enrol(fixture.url, fixture.databaseUrl, 'Honest');
    const other = await enrol(fixture.url, fixture.databaseUrl, 'Other');
    const before = await eventCount();
    const mine = deviceChain(1, { deviceId: device.deviceId }).events;
    const reply = await device.push([...mine, ...deviceChain(1, { deviceId: other.deviceId }).events.map((e) => ({ ...e, deviceSeq: 2 }))]);
    expect(reply.status).toBe(403);
    expect(answer(pushAnswerSchema, reply)).toEqual({ ok: false, error: { code: 'FORBIDDEN', message: expect.stringContaining('only its own'), field: 'events.1.deviceId', rule: 'not_your_device' } });
    expect(await eventCount()).toBe(before);
  });

  it('a revoked device is refused on every route with 403 revoked', async () => {
    const device = await enrol(fixture.url, fixture.databaseUrl, 'Revoked');
    expect(answer(pushAnswerSchema, await device.push(deviceChain(1, { deviceId: device.deviceId }).events))).toMatchObject({ ok: true, acked: 1 });
    await revokeDevice(fixture.databaseUrl, device.deviceId);
    const revoked = { ok: false, error: { code: 'FORBIDDEN', message: expect.stringContaining('revoked'), rule: 'revoked' } };
    for (const reply of [await device.push(deviceChain(1, { deviceId: device.deviceId }).events), await device.pull(0), await device.device()]) {
      expect(reply.status).toBe(403);
      expect(answer(pullAnswerSchema, reply)).toEqual(revoked);
    }
  });

  it('the device headers are required, and each request records when the device was seen, its head (pending) and its clock skew', async () => {
    const device = await enrol(fixture.url, fixture.databaseUrl, 'Reporting');
    const missing = await call(fixture.url, 'GET', '/v1/device', { headers: { authorization: `Bearer ${device.deviceId}:${device.secret}` } });
    expect(missing.status).toBe(400);
    expect(answer(deviceAnswerSchema, missing)).toEqual({ ok: false, error: { code: 'VALIDATION', message: expect.any(String), field: 'waybill-device-head' } });

    await device.push(deviceChain(3, { deviceId: device.deviceId }).events);
    const late = new Date(Date.now() - 10 * 60_000);
    const reply = await call(fixture.url, 'GET', '/v1/device', { headers: deviceHeaders(device, { head: 7, sentAt: late }) });
    expect(answer(deviceAnswerSchema, reply)).toEqual({ ok: true, deviceId: device.deviceId, name: 'Reporting', acked: 3, serverHead: expect.any(Number), serverId: expect.any(String) });
    const listed = (await listDevices(fixture.databaseUrl, { skewThresholdMs: 60_000 })).find((d) => d.deviceId === device.deviceId);
    expect(listed).toEqual({
      deviceId: device.deviceId,
      name: 'Reporting',
      enrolledAt: expect.any(String),
      lastSeenAt: expect.any(String),
      revokedAt: null,
      acked: 3,
      pending: 4,
      skewMs: expect.any(Number),
      skewFlagged: true,
      forked: false,
    });
    expect(listed!.skewMs).toBeLessThan(-9 * 60_000);
    expect(fixture.lines).toContainEqual(expect.stringContaining(`the clock of device Reporting (${device.deviceId}) is off by`));
  });
});

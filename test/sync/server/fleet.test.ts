import { describe, expect, it } from 'vitest';
import { fleetAnswerSchema } from '../../../db/contract/syncWire.ts';
import { listDevices, revokeDevice } from '../../../db/sync/server/index.ts';
import { chainEvents, deviceChain } from './deviceChain.ts';
import { answer, call, deviceHeaders, enrol, type Credentials } from './syncHttp.ts';
import { syncServerFixture } from './syncServerFixture.ts';

const fixture = syncServerFixture({ skewThresholdMs: 60_000 });
const fleetOf = (device: Credentials, options: { head?: number; sentAt?: Date } = {}) => call(fixture.url, 'GET', '/v1/fleet', { headers: deviceHeaders(device, options) });

describe('the fleet route', () => {
  it('answers any signed-in device with every enrolled device as listDevices has it, and no secret', async () => {
    const office = await enrol(fixture.url, fixture.databaseUrl, 'Office');
    const van = await enrol(fixture.url, fixture.databaseUrl, 'Van 7');
    await van.push(deviceChain(3, { deviceId: van.deviceId }).events);
    // The van has recorded 5 and its clock runs 10 minutes slow: pending 2, clock flagged.
    await call(fixture.url, 'GET', '/v1/device', { headers: deviceHeaders(van, { head: 5, sentAt: new Date(Date.now() - 10 * 60_000) }) });

    const reply = await fleetOf(office);
    expect(reply.status).toBe(200);
    const fleet = answer(fleetAnswerSchema, reply);
    expect(fleet).toEqual({ ok: true, devices: await listDevices(fixture.databaseUrl, { skewThresholdMs: 60_000 }) });
    const byName = new Map(fleet.ok ? fleet.devices.map((d) => [d.name, d]) : []);
    expect(byName.get('Van 7')).toEqual({
      deviceId: van.deviceId,
      name: 'Van 7',
      enrolledAt: expect.any(String),
      lastSeenAt: expect.any(String),
      acked: 3,
      pending: 2,
      skewMs: expect.any(Number),
      skewFlagged: true,
      forked: false,
      revokedAt: null,
    });
    // The asking device is seen by this very request.
    expect(byName.get('Office')).toMatchObject({ lastSeenAt: expect.any(String), skewFlagged: false, pending: 0 });
    const text = JSON.stringify(reply.body);
    for (const secret of [office.secret, van.secret]) expect(text).not.toContain(secret);
    expect(text).not.toMatch(/secret|sha256/i);
  });

  it('shows a forked device and a revoked one as such, and refuses the revoked one itself', async () => {
    const watcher = await enrol(fixture.url, fixture.databaseUrl, 'Watcher');
    const forked = await enrol(fixture.url, fixture.databaseUrl, 'Restored from backup');
    const chain = deviceChain(3, { deviceId: forked.deviceId });
    await forked.push(chain.seqs(1, 2));
    await forked.push(chainEvents([{ ...chain.events[1]!, payload: '{"scan":"other"}' }], chain.events[0]!.deviceHash));
    const gone = await enrol(fixture.url, fixture.databaseUrl, 'Stolen laptop');
    await revokeDevice(fixture.databaseUrl, gone.deviceId);

    const fleet = answer(fleetAnswerSchema, await fleetOf(watcher));
    const devices = fleet.ok ? fleet.devices : [];
    expect(devices.find((d) => d.deviceId === forked.deviceId)).toMatchObject({ forked: true, acked: 2, revokedAt: null });
    expect(devices.find((d) => d.deviceId === gone.deviceId)).toMatchObject({ forked: false, revokedAt: expect.any(String) });

    const refused = await fleetOf(gone);
    expect(refused.status).toBe(403);
    expect(answer(fleetAnswerSchema, refused)).toEqual({ ok: false, error: { code: 'FORBIDDEN', message: expect.stringContaining('revoked'), rule: 'revoked' } });
  });

  it('is refused with 401 without valid credentials', async () => {
    const device = await enrol(fixture.url, fixture.databaseUrl, 'Guarded fleet');
    for (const reply of [
      await call(fixture.url, 'GET', '/v1/fleet'),
      await fleetOf({ deviceId: device.deviceId, secret: `${device.secret}x` }),
      await fleetOf({ deviceId: '00000000-0000-4000-8000-000000000000', secret: device.secret }),
    ]) {
      expect(reply.status).toBe(401);
      expect(answer(fleetAnswerSchema, reply)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', rule: 'unauthenticated' } });
    }
  });
});

import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { deviceAnswerSchema, enrolAnswerSchema } from '../../../db/contract/syncWire.ts';
import { enrolDevice, revokeDevice, serverStatus, startSyncServer } from '../../../db/sync/server/index.ts';
import { answer, call, deviceClient } from './syncHttp.ts';
import { syncServerFixture } from './syncServerFixture.ts';

const fixture = syncServerFixture();
const spend = (code: string, deviceId: string, url = fixture.url) => call(url, 'POST', '/v1/enrol', { body: { code, deviceId } });

describe('enrolment', () => {
  it('a code enrols one device once: the answer names the device, its secret and the server; the same code again is refused', async () => {
    const { code, expiresAt } = await enrolDevice(fixture.databaseUrl, 'Depot laptop 1');
    expect(code).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    expect(Date.parse(expiresAt) - Date.now()).toBeGreaterThan(14 * 60_000);
    const deviceId = randomUUID();
    const first = await spend(code.toLowerCase(), deviceId);
    const { serverId } = await serverStatus(fixture.databaseUrl);
    expect(first.status).toBe(200);
    expect(answer(enrolAnswerSchema, first)).toEqual({ ok: true, deviceId, name: 'Depot laptop 1', secret: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/), serverId });

    const again = await spend(code, randomUUID());
    expect(again.status).toBe(403);
    expect(answer(enrolAnswerSchema, again)).toEqual({ ok: false, error: { code: 'FORBIDDEN', message: expect.stringContaining('already been used'), field: 'code', rule: 'code_used' } });
    const unknown = await spend('AAAA-BBBB-CCCC', randomUUID());
    expect(answer(enrolAnswerSchema, unknown)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', rule: 'unknown_code' } });
  });

  it('an expired code is refused: one made in the past, and one a server whose clock is past its expiry is given', async () => {
    const old = await enrolDevice(fixture.databaseUrl, 'Late laptop', { expiresInMinutes: 15, now: new Date(Date.now() - 16 * 60_000) });
    const refused = await spend(old.code, randomUUID());
    expect(refused.status).toBe(403);
    expect(answer(enrolAnswerSchema, refused)).toEqual({ ok: false, error: { code: 'FORBIDDEN', message: expect.stringContaining('expired'), field: 'code', rule: 'code_expired' } });

    const fresh = await enrolDevice(fixture.databaseUrl, 'Laptop of the future', { expiresInMinutes: 5 });
    const later = await startSyncServer({ databaseUrl: fixture.databaseUrl, clock: () => new Date(Date.parse(fresh.expiresAt) + 1) });
    try {
      expect(answer(enrolAnswerSchema, await spend(fresh.code, randomUUID(), later.url))).toMatchObject({ ok: false, error: { rule: 'code_expired' } });
    } finally {
      await later.close();
    }
    // Not spent by the refusal: on time, it still works.
    expect(answer(enrolAnswerSchema, await spend(fresh.code, randomUUID()))).toMatchObject({ ok: true, name: 'Laptop of the future' });
  });

  it('an enrolled device enrolling again with a fresh code gets a new secret, and the old one stops working', async () => {
    const deviceId = randomUUID();
    const first = answer(enrolAnswerSchema, await spend((await enrolDevice(fixture.databaseUrl, 'Reinstalled')).code, deviceId));
    const second = answer(enrolAnswerSchema, await spend((await enrolDevice(fixture.databaseUrl, 'Reinstalled')).code, deviceId));
    if (!first.ok || !second.ok) throw new Error('enrolment failed');
    expect(second.secret).not.toBe(first.secret);
    expect(answer(deviceAnswerSchema, await deviceClient(fixture.url, { deviceId, secret: second.secret }).device())).toMatchObject({ ok: true, deviceId, name: 'Reinstalled' });
    const stale = await deviceClient(fixture.url, { deviceId, secret: first.secret }).device();
    expect(stale.status).toBe(401);
    expect(answer(deviceAnswerSchema, stale)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', rule: 'unauthenticated' } });
  });

  it('a revoked device cannot enrol again, and the code it tried stays unspent', async () => {
    const deviceId = randomUUID();
    await spend((await enrolDevice(fixture.databaseUrl, 'Stolen laptop')).code, deviceId);
    expect(await revokeDevice(fixture.databaseUrl, 'Stolen laptop')).toEqual({ deviceId, name: 'Stolen laptop', revokedAt: expect.any(String) });
    const { code } = await enrolDevice(fixture.databaseUrl, 'Stolen laptop');
    const refused = await spend(code, deviceId);
    expect(refused.status).toBe(403);
    expect(answer(enrolAnswerSchema, refused)).toEqual({ ok: false, error: { code: 'FORBIDDEN', message: expect.stringContaining('revoked'), rule: 'revoked' } });
    expect(answer(enrolAnswerSchema, await spend(code, randomUUID()))).toMatchObject({ ok: true, name: 'Stolen laptop' });
  });

  it('an enrolment that is not the schema is a 400 naming the field', async () => {
    const reply = await call(fixture.url, 'POST', '/v1/enrol', { body: { code: 'AAAA', deviceId: 'not-a-uuid' } });
    expect(reply.status).toBe(400);
    expect(answer(enrolAnswerSchema, reply)).toEqual({ ok: false, error: { code: 'VALIDATION', message: expect.stringContaining('UUID'), field: 'deviceId' } });
  });
});

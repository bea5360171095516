import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pushAnswerSchema, type WireEvent } from '../../../db/contract/syncWire.ts';
import { listDevices, serverStatus } from '../../../db/sync/server/index.ts';
import { chainEvents, deviceChain } from './deviceChain.ts';
import { answer, enrol } from './syncHttp.ts';
import { syncServerFixture } from './syncServerFixture.ts';

const fixture = syncServerFixture();
let db: pg.Client;
beforeAll(async () => {
  db = new pg.Client({ connectionString: fixture.databaseUrl });
  await db.connect();
});
afterAll(() => db.end());

/** What the server stored of one device, in server order. */
async function storedOf(deviceId: string): Promise<{ seq: number; eventId: string; hash: string }[]> {
  const { rows } = await db.query<{ device_seq: string; event_id: string; device_hash: string }>(
    'SELECT device_seq, event_id, device_hash FROM events WHERE device_id = $1 ORDER BY server_seq',
    [deviceId],
  );
  return rows.map((row) => ({ seq: Number(row.device_seq), eventId: row.event_id, hash: row.device_hash }));
}
const expectedRows = (events: readonly WireEvent[]) => events.map((e) => ({ seq: e.deviceSeq, eventId: e.eventId, hash: e.deviceHash }));
async function quarantineOf(deviceId: string): Promise<{ seq: number; reason: string; event: unknown }[]> {
  const { rows } = await db.query<{ device_seq: string; reason: string; event: unknown }>('SELECT device_seq, reason, event FROM quarantine WHERE device_id = $1 ORDER BY id', [deviceId]);
  return rows.map((row) => ({ seq: Number(row.device_seq), reason: row.reason, event: row.event }));
}

describe('push', () => {
  it('stores a batch once: the same batch again is all duplicates, and nothing is stored twice', async () => {
    const device = await enrol(fixture.url, fixture.databaseUrl, 'Idempotent');
    const chain = deviceChain(10, { deviceId: device.deviceId });
    const first = await device.push(chain.seqs(1, 6));
    expect(first.status).toBe(200);
    expect(answer(pushAnswerSchema, first)).toEqual({ ok: true, acked: 6, serverHead: expect.any(Number), stored: 6, duplicates: 0 });
    expect(answer(pushAnswerSchema, await device.push(chain.seqs(1, 6)))).toEqual({ ok: true, acked: 6, serverHead: expect.any(Number), stored: 0, duplicates: 6 });
    // A batch overlapping what the server holds stores only what is new.
    expect(answer(pushAnswerSchema, await device.push(chain.seqs(4, 10)))).toEqual({ ok: true, acked: 10, serverHead: expect.any(Number), stored: 4, duplicates: 3 });
    expect(await storedOf(device.deviceId)).toEqual(expectedRows(chain.events));
  });

  it('the answer’s serverHead is the server’s head when the push committed', async () => {
    const device = await enrol(fixture.url, fixture.databaseUrl, 'Head');
    const reply = answer(pushAnswerSchema, await device.push(deviceChain(3, { deviceId: device.deviceId }).events));
    expect(reply).toEqual({ ok: true, acked: 3, serverHead: (await serverStatus(fixture.databaseUrl)).head, stored: 3, duplicates: 0 });
  });

  it('refuses a batch that starts past the acked sequence, and says which sequence it expects', async () => {
    const device = await enrol(fixture.url, fixture.databaseUrl, 'Gap');
    const chain = deviceChain(8, { deviceId: device.deviceId });
    await device.push(chain.seqs(1, 3));
    const reply = await device.push(chain.seqs(5, 8));
    expect(reply.status).toBe(409);
    expect(answer(pushAnswerSchema, reply)).toEqual({
      ok: false,
      error: { code: 'CONFLICT', message: expect.stringContaining('must start at 4'), field: 'events.0.deviceSeq', rule: 'sequence_gap' },
      expected: 4,
    });
    expect(await storedOf(device.deviceId)).toEqual(expectedRows(chain.seqs(1, 3)));
  });

  it('a different copy of a held sequence is a fork: quarantined, the device flagged, nothing of the batch stored, later pushes refused', async () => {
    const device = await enrol(fixture.url, fixture.databaseUrl, 'Forked');
    const chain = deviceChain(6, { deviceId: device.deviceId });
    await device.push(chain.seqs(1, 4));
    // The laptop was restored from a backup taken after seq 2 and recorded other events since.
    const other = chainEvents([{ ...chain.events[2]!, payload: '{"scan":"other"}' }, chain.events[3]!, chain.events[4]!], chain.events[1]!.deviceHash);
    const reply = await device.push(other);
    expect(reply.status).toBe(409);
    expect(answer(pushAnswerSchema, reply)).toEqual({ ok: false, error: { code: 'CONFLICT', message: expect.stringContaining('forked'), field: 'events.0', rule: 'fork' } });
    expect(await storedOf(device.deviceId)).toEqual(expectedRows(chain.seqs(1, 4)));
    expect(await quarantineOf(device.deviceId)).toEqual([
      { seq: 3, reason: 'fork', event: other[0] },
      { seq: 4, reason: 'fork', event: other[1] },
    ]);
    expect((await listDevices(fixture.databaseUrl)).find((d) => d.deviceId === device.deviceId)).toMatchObject({ forked: true, acked: 4 });
    const later = await device.push(chain.seqs(5, 6));
    expect(later.status).toBe(409);
    expect(answer(pushAnswerSchema, later)).toEqual({ ok: false, error: { code: 'CONFLICT', message: expect.stringContaining('until an administrator'), rule: 'forked' } });
    expect(await serverStatus(fixture.databaseUrl)).toMatchObject({ forks: 1 });
  });

  it('refuses a batch whose chain does not verify, and stores nothing of it', async () => {
    const device = await enrol(fixture.url, fixture.databaseUrl, 'Tampered');
    const chain = deviceChain(5, { deviceId: device.deviceId });
    await device.push(chain.seqs(1, 2));
    const altered = chain.seqs(3, 5).map((e, i) => (i === 1 ? { ...e, payload: '{"scan":"altered"}' } : e));
    const reply = await device.push(altered);
    expect(reply.status).toBe(422);
    expect(answer(pushAnswerSchema, reply)).toEqual({
      ok: false,
      error: { code: 'VALIDATION', message: expect.stringContaining('does not chain'), field: 'events.1.deviceHash', rule: 'chain_broken' },
    });
    // A first event that does not chain from the stored head is refused too.
    const unchained = chainEvents(chain.seqs(3, 5));
    expect(answer(pushAnswerSchema, await device.push(unchained))).toMatchObject({ ok: false, error: { rule: 'chain_broken', field: 'events.0.deviceHash' } });
    expect(await storedOf(device.deviceId)).toEqual(expectedRows(chain.seqs(1, 2)));
    expect(answer(pushAnswerSchema, await device.push(chain.seqs(3, 5)))).toMatchObject({ ok: true, acked: 5, stored: 3 });
  });

  it('an event id another device already pushed is quarantined, not stored, and the device’s acked moves past it', async () => {
    const first = await enrol(fixture.url, fixture.databaseUrl, 'Original');
    const second = await enrol(fixture.url, fixture.databaseUrl, 'Copycat');
    const original = deviceChain(2, { deviceId: first.deviceId });
    await first.push(original.events);
    const copied = deviceChain(3, { deviceId: second.deviceId, overrides: (seq) => (seq === 2 ? { eventId: original.events[0]!.eventId } : {}) });
    const reply = await second.push(copied.events);
    expect(answer(pushAnswerSchema, reply)).toEqual({ ok: true, acked: 3, serverHead: expect.any(Number), stored: 2, duplicates: 0 });
    expect(await storedOf(second.deviceId)).toEqual(expectedRows([copied.events[0]!, copied.events[2]!]));
    expect(await quarantineOf(second.deviceId)).toEqual([{ seq: 2, reason: 'duplicate_event_id', event: copied.events[1] }]);
    // Sent again, the batch is all duplicates (the quarantined copy included), not a fork.
    expect(answer(pushAnswerSchema, await second.push(copied.events))).toEqual({ ok: true, acked: 3, serverHead: expect.any(Number), stored: 0, duplicates: 3 });
    expect((await listDevices(fixture.databaseUrl)).find((d) => d.deviceId === second.deviceId)).toMatchObject({ forked: false, acked: 3 });
  });

  it('refuses a batch whose sequences are not consecutive', async () => {
    const device = await enrol(fixture.url, fixture.databaseUrl, 'Shuffled');
    const chain = deviceChain(3, { deviceId: device.deviceId });
    const reply = await device.push([chain.events[0]!, chain.events[2]!, chain.events[1]!]);
    expect(reply.status).toBe(400);
    expect(answer(pushAnswerSchema, reply)).toEqual({ ok: false, error: { code: 'VALIDATION', message: expect.any(String), field: 'events.1.deviceSeq', rule: 'batch_out_of_order' } });
    expect(await storedOf(device.deviceId)).toEqual([]);
  });
});

import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pullAnswerSchema, pushAnswerSchema, type PulledEvent } from '../../../db/contract/syncWire.ts';
import { startSyncServer, type SyncServer } from '../../../db/sync/server/index.ts';
import { freshDatabase } from '../../helpers/testPostgres.ts';
import { deviceChain } from './deviceChain.ts';
import { answer, deviceClient, enrol, type DeviceClient } from './syncHttp.ts';

const DEVICES = 8;
const BATCHES = 30;
const PULLERS = 3;
const generous = { perSecond: 100_000, burst: 100_000 };

let database: Awaited<ReturnType<typeof freshDatabase>>;
let servers: SyncServer[];
beforeAll(async () => {
  database = await freshDatabase();
  servers = [await startSyncServer({ databaseUrl: database.url, rateLimit: generous }), await startSyncServer({ databaseUrl: database.url, rateLimit: generous })];
});
afterAll(async () => {
  await Promise.all(servers.map((server) => server.close()));
  await database.drop();
});

/** A deterministic batch size from 1 to 12. */
const batchSize = (device: number, batch: number) => ((device * 7 + batch * 5) % 12) + 1;

/** Pushes the device's chain batch by batch, alternating servers; every fifth batch goes to both at once (the race of a retried request). */
async function upload(device: DeviceClient, index: number): Promise<number> {
  const sizes = Array.from({ length: BATCHES }, (_, batch) => batchSize(index, batch));
  const chain = deviceChain(sizes.reduce((a, b) => a + b, 0), { deviceId: device.deviceId });
  const clients = servers.map((server) => deviceClient(server.url, device));
  let next = 1;
  for (const [batch, size] of sizes.entries()) {
    const events = chain.seqs(next, next + size - 1);
    const targets = batch % 5 === 4 ? clients : [clients[(index + batch) % 2]!];
    const replies = (await Promise.all(targets.map((client) => client.push(events)))).map((reply) => answer(pushAnswerSchema, reply));
    for (const reply of replies) expect(reply).toMatchObject({ ok: true, acked: next + size - 1 });
    // Both copies of a raced batch are acknowledged, and it is stored once.
    expect(replies.reduce((stored, reply) => stored + (reply.ok ? reply.stored : 0), 0)).toBe(size);
    next += size;
  }
  return next - 1;
}

interface PullerLog {
  received: { serverSeq: number; eventId: string; deviceId: string; deviceSeq: number }[];
  /** Every page whose sequences did not run on from the cursor one by one. */
  badPages: { after: number; seqs: number[] }[];
}

/** Pulls in small pages the whole time, long-polling when caught up, until it has everything there will be. */
async function pullAll(client: DeviceClient, limit: number, total: () => number | null): Promise<PullerLog> {
  const log: PullerLog = { received: [], badPages: [] };
  let after = 0;
  for (;;) {
    const goal = total();
    if (goal !== null && after >= goal) return log;
    const page = answer(pullAnswerSchema, await client.pull(after, limit, 1));
    if (!page.ok) throw new Error(`pull refused: ${JSON.stringify(page)}`);
    const seqs = page.events.map((e: PulledEvent) => e.serverSeq);
    if (seqs.some((seq, i) => seq !== after + i + 1)) log.badPages.push({ after, seqs });
    log.received.push(...page.events.map((e) => ({ serverSeq: e.serverSeq, eventId: e.eventId, deviceId: e.deviceId, deviceSeq: e.deviceSeq })));
    if (page.events.length > 0) after = page.events.at(-1)!.serverSeq;
  }
}

describe('no skip under concurrency', () => {
  it(`${DEVICES} devices pushing through two servers at once while ${PULLERS} pullers poll: every puller gets 1..N in order, no gap, and exactly the table`, async () => {
    const [first] = servers;
    const uploaders = await Promise.all(Array.from({ length: DEVICES }, (_, i) => enrol(first!.url, database.url, `Uploader ${i}`)));
    const pullers = await Promise.all(Array.from({ length: PULLERS }, (_, i) => enrol(servers[i % 2]!.url, database.url, `Puller ${i}`)));
    let total: number | null = null;
    const pulling = pullers.map((puller, i) => pullAll(puller, [7, 13, 50][i]!, () => total));
    const pushed = await Promise.all(uploaders.map((device, i) => upload(device, i)));
    total = pushed.reduce((a, b) => a + b, 0);
    const logs = await Promise.all(pulling);

    const db = new pg.Client({ connectionString: database.url });
    await db.connect();
    const table = (await db.query<{ server_seq: string; event_id: string }>('SELECT server_seq, event_id FROM events ORDER BY server_seq')).rows.map(
      (row) => ({ serverSeq: Number(row.server_seq), eventId: row.event_id }),
    );
    const head = Number((await db.query<{ last_seq: string }>('SELECT last_seq FROM server_counter')).rows[0]!.last_seq);
    await db.end();

    expect(table.map((row) => row.serverSeq)).toEqual(Array.from({ length: total }, (_, i) => i + 1));
    expect(head).toBe(total);
    for (const log of logs) {
      expect(log.badPages).toEqual([]);
      expect(log.received.map(({ serverSeq, eventId }) => ({ serverSeq, eventId }))).toEqual(table);
      // Each device's events arrive in its own order too.
      for (const device of uploaders) {
        const seqs = log.received.filter((e) => e.deviceId === device.deviceId).map((e) => e.deviceSeq);
        expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i + 1));
      }
    }
  });
});

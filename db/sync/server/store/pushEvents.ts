import type pg from 'pg';
import type { PushAnswer, WireEvent } from '../../../contract/syncWire.ts';
import { originHash } from '../../../log/originHash.ts';
import { inTransaction } from '../database.ts';
import { SyncRefusal } from '../refusal.ts';
import { notifyNewEvents } from '../nudges.ts';

export type PushOutcome = Omit<Extract<PushAnswer, { ok: true }>, 'ok'>;

interface DeviceRow {
  acked_seq: string;
  chain_head: string;
  revoked_at: Date | null;
  forked_at: Date | null;
}

const forkMessage = (seq: number) =>
  `This device sent a different event for sequence ${seq} than the one the server holds: its log has forked (restored from an old backup, or copied to another laptop). ` +
  'Nothing of this batch was stored and the device is flagged; an administrator must look at the quarantined copies.';

/** What the server holds for each of the device's sequences from..to: the stored event's hash, or the quarantined copy's for an event id another device had. */
async function heldHashes(client: pg.PoolClient, deviceId: string, from: number, to: number): Promise<Map<number, string>> {
  const { rows } = await client.query<{ device_seq: string; device_hash: string }>(
    `SELECT device_seq, device_hash FROM events WHERE device_id = $1 AND device_seq BETWEEN $2 AND $3
     UNION ALL
     SELECT device_seq, event->>'deviceHash' FROM quarantine WHERE device_id = $1 AND device_seq BETWEEN $2 AND $3 AND reason = 'duplicate_event_id'`,
    [deviceId, from, to],
  );
  return new Map(rows.map((row) => [Number(row.device_seq), row.device_hash]));
}

async function quarantineCopies(client: pg.PoolClient, copies: readonly WireEvent[], reason: string, receivedAt: Date): Promise<void> {
  await client.query(
    `INSERT INTO quarantine (device_id, device_seq, event, reason, received_at)
     SELECT device_id, device_seq, event, $4, $5 FROM unnest($1::uuid[], $2::bigint[], $3::jsonb[]) AS copy(device_id, device_seq, event)`,
    [copies.map((e) => e.deviceId), copies.map((e) => e.deviceSeq), copies.map((e) => JSON.stringify(e)), reason, receivedAt],
  );
}

async function insertEvents(client: pg.PoolClient, deviceId: string, firstSeq: number, stored: readonly WireEvent[], receivedAt: Date): Promise<void> {
  await client.query(
    `INSERT INTO events (server_seq, event_id, device_id, device_seq, device_hash, stream_id, type, schema_version, payload, metadata, recorded_at, received_at)
     SELECT $1::bigint + ordinality - 1, event_id, $2, device_seq, device_hash, stream_id, type, schema_version, payload, metadata, recorded_at, $3
     FROM unnest($4::uuid[], $5::bigint[], $6::text[], $7::text[], $8::text[], $9::int[], $10::text[], $11::text[], $12::text[])
       WITH ORDINALITY AS e(event_id, device_seq, device_hash, stream_id, type, schema_version, payload, metadata, recorded_at, ordinality)`,
    [
      firstSeq,
      deviceId,
      receivedAt,
      stored.map((e) => e.eventId),
      stored.map((e) => e.deviceSeq),
      stored.map((e) => e.deviceHash),
      stored.map((e) => e.streamId),
      stored.map((e) => e.type),
      stored.map((e) => e.schemaVersion),
      stored.map((e) => e.payload),
      stored.map((e) => e.metadata),
      stored.map((e) => e.recordedAt),
    ],
  );
}

/** Each new event must chain from the one before it, the first from the device's stored head. */
function verifyChain(head: string, fresh: readonly WireEvent[], offset: number): void {
  let previous = head;
  fresh.forEach((event, i) => {
    if (originHash(previous, event) !== event.deviceHash) {
      throw new SyncRefusal(
        'VALIDATION',
        `Event ${event.deviceSeq} does not chain from the event before it (its deviceHash is not originHash of the previous hash and the event): it was altered, or one before it is missing. Nothing was stored.`,
        { field: `events.${offset + i}.deviceHash`, rule: 'chain_broken', status: 422 },
      );
    }
    previous = event.deviceHash;
  });
}

/**
 * Stores a device's batch, all or nothing, in one transaction: the device row is locked first (one
 * push per device at a time), then the counter row, and the new events are numbered from it, so
 * server sequences are dense and become visible in order. Events the server already holds are
 * counted as duplicates; a different copy of one is a fork.
 */
export async function pushEvents(pool: pg.Pool, deviceId: string, events: readonly WireEvent[], receivedAt: Date): Promise<PushOutcome> {
  const outcome = await inTransaction(pool, async (client) => {
    const device = (await client.query<DeviceRow>('SELECT acked_seq, chain_head, revoked_at, forked_at FROM devices WHERE device_id = $1 FOR UPDATE', [deviceId])).rows[0];
    if (!device || device.revoked_at) throw new SyncRefusal('FORBIDDEN', 'This device has been revoked on the sync server: enrol it again with a new code to sync.', { rule: 'revoked' });
    if (device.forked_at) {
      throw new SyncRefusal('CONFLICT', `This device's log forked from what the server holds (${device.forked_at.toISOString()}): its pushes are refused until an administrator clears it.`, {
        rule: 'forked',
      });
    }
    const acked = Number(device.acked_seq);
    const held = events.filter((e) => e.deviceSeq <= acked);
    const fresh = events.filter((e) => e.deviceSeq > acked);
    if (held.length > 0) {
      const hashes = await heldHashes(client, deviceId, held[0]!.deviceSeq, held.at(-1)!.deviceSeq);
      const clashes = held.filter((e) => hashes.get(e.deviceSeq) !== e.deviceHash);
      if (clashes.length > 0) {
        await quarantineCopies(client, clashes, 'fork', receivedAt);
        await client.query('UPDATE devices SET forked_at = $2 WHERE device_id = $1', [deviceId, receivedAt]);
        // Committed (the quarantine and the flag stay), then refused.
        return new SyncRefusal('CONFLICT', forkMessage(clashes[0]!.deviceSeq), { rule: 'fork', field: `events.${events.indexOf(clashes[0]!)}` });
      }
    }
    if (fresh.length === 0) {
      const head = (await client.query<{ last_seq: string }>('SELECT last_seq FROM server_counter WHERE singleton = 1')).rows[0]!;
      return { acked, serverHead: Number(head.last_seq), stored: 0, duplicates: held.length };
    }
    if (fresh[0]!.deviceSeq !== acked + 1) {
      throw new SyncRefusal('CONFLICT', `The server holds this device's events up to ${acked}: the next push must start at ${acked + 1}, not ${fresh[0]!.deviceSeq}.`, {
        rule: 'sequence_gap',
        field: `events.${held.length}.deviceSeq`,
        expected: acked + 1,
      });
    }
    verifyChain(device.chain_head, fresh, held.length);
    const counter = (await client.query<{ last_seq: string }>('SELECT last_seq FROM server_counter WHERE singleton = 1 FOR UPDATE')).rows[0]!;
    const lastSeq = Number(counter.last_seq);
    // Under the counter lock every earlier push has committed, so this sees every event id stored before.
    const taken = new Set(
      (await client.query<{ event_id: string }>('SELECT event_id FROM events WHERE event_id = ANY($1::uuid[])', [fresh.map((e) => e.eventId)])).rows.map((row) => row.event_id),
    );
    const stored: WireEvent[] = [];
    const elsewhere: WireEvent[] = [];
    for (const event of fresh) {
      (taken.has(event.eventId) ? elsewhere : stored).push(event);
      taken.add(event.eventId);
    }
    if (stored.length > 0) await insertEvents(client, deviceId, lastSeq + 1, stored, receivedAt);
    if (elsewhere.length > 0) await quarantineCopies(client, elsewhere, 'duplicate_event_id', receivedAt);
    const serverHead = lastSeq + stored.length;
    const last = fresh.at(-1)!;
    if (stored.length > 0) {
      await client.query('UPDATE server_counter SET last_seq = $1 WHERE singleton = 1', [serverHead]);
      await notifyNewEvents(client, serverHead);
    }
    await client.query('UPDATE devices SET acked_seq = $2, chain_head = $3 WHERE device_id = $1', [deviceId, last.deviceSeq, last.deviceHash]);
    return { acked: last.deviceSeq, serverHead, stored: stored.length, duplicates: held.length };
  });
  if (outcome instanceof SyncRefusal) throw outcome;
  return outcome;
}

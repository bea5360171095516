import type Database from 'better-sqlite3';
import { EventLogWriter } from './eventLogWriter.ts';
import { ORIGIN_GENESIS_HASH, originHash } from './originHash.ts';
import type { PayloadUpcaster } from './eventRows.ts';
import { createUuidV7Generator } from './uuidv7.ts';

const noUpcasting: PayloadUpcaster = { upcast: (_type, _version, payload) => payload };

/**
 * Gives the events recorded before origins existed (migration 0003) theirs: this folder's device,
 * numbered in log order, chained. Every append since writes its origin with it, so what is missing
 * is always a prefix of the log. One transaction: a crash leaves it to the next open.
 */
export function backfillOrigins(writer: Database.Database): { assigned: number } {
  const firstMissing = writer.prepare('SELECT coalesce(max(position), 0) + 1 FROM event_origins').pluck();
  const head = writer.prepare('SELECT coalesce(max(position), 0) FROM events').pluck();
  if ((firstMissing.get() as number) > (head.get() as number)) return { assigned: 0 };
  const log = new EventLogWriter(writer, noUpcasting);
  return log.transaction(() => {
    const device = log.localDevice(createUuidV7Generator());
    const start = log.originHead(device);
    if (start.deviceSeq !== 0) throw new Error(`waybill: events without an origin after origins began (position ${String(firstMissing.get())}); the log needs a look`);
    const insert = writer.prepare('INSERT INTO event_origins (position, device_id, device_seq, device_hash) VALUES (?, ?, ?, ?)');
    const chunk = writer.prepare(
      'SELECT position, event_id AS eventId, stream_id AS streamId, type, schema_version AS schemaVersion, recorded_at AS recordedAt, payload, metadata FROM events WHERE position >= ? ORDER BY position LIMIT 10000',
    );
    let seq = 0;
    let hash = ORIGIN_GENESIS_HASH;
    for (let from = firstMissing.get() as number; ; ) {
      const rows = chunk.all(from) as { position: number; eventId: string; streamId: string; type: string; schemaVersion: number; recordedAt: string; payload: string; metadata: string }[];
      if (rows.length === 0) break;
      for (const row of rows) {
        seq++;
        hash = originHash(hash, { ...row, deviceId: device, deviceSeq: seq });
        insert.run(row.position, device, seq, hash);
      }
      from = rows.at(-1)!.position + 1;
    }
    return { assigned: seq };
  });
}

import type Database from 'better-sqlite3';
import type { WireEvent } from '../contract/syncWire.ts';

/** A device's events in this log after `afterSeq`, in its sequence order, as the wire carries them (what a push sends). */
export function deviceEventsAfter(db: Database.Database, deviceId: string, afterSeq: number, limit: number): WireEvent[] {
  return db
    .prepare(
      `SELECT e.event_id AS eventId, o.device_id AS deviceId, o.device_seq AS deviceSeq, o.device_hash AS deviceHash, e.stream_id AS streamId,
              e.type, e.schema_version AS schemaVersion, e.recorded_at AS recordedAt, e.payload, e.metadata
       FROM event_origins o JOIN events e ON e.position = o.position
       WHERE o.device_id = ? AND o.device_seq > ? ORDER BY o.device_seq LIMIT ?`,
    )
    .all(deviceId, afterSeq, limit) as WireEvent[];
}

/** A device's highest sequence in this log (0 when it has none here). */
export function deviceHead(db: Database.Database, deviceId: string): number {
  return (db.prepare('SELECT coalesce(max(device_seq), 0) FROM event_origins WHERE device_id = ?').pluck().get(deviceId) as number) ?? 0;
}

import type pg from 'pg';
import type { PulledEvent } from '../../../contract/syncWire.ts';
import { query } from '../database.ts';

export interface PulledPage {
  events: PulledEvent[];
  serverHead: number;
}

interface PageRow {
  head: string;
  server_seq: string | null;
  event_id: string;
  device_id: string;
  device_seq: string;
  device_hash: string;
  stream_id: string;
  type: string;
  schema_version: number;
  payload: string;
  metadata: string;
  recorded_at: string;
  received_at: Date;
}

/**
 * The events after `after` in server order, and the head, read in one statement (one snapshot):
 * sequences are handed out under the counter lock and committed in order, so the page never skips.
 */
export async function pullEvents(pool: pg.Pool, after: number, limit: number): Promise<PulledPage> {
  const rows = await query<PageRow>(
    pool,
    `SELECT c.last_seq AS head, e.*
     FROM server_counter c
     LEFT JOIN LATERAL (
       SELECT server_seq, event_id, device_id, device_seq, device_hash, stream_id, type, schema_version, payload, metadata, recorded_at, received_at
       FROM events WHERE server_seq > $1 ORDER BY server_seq LIMIT $2
     ) e ON true
     WHERE c.singleton = 1
     ORDER BY e.server_seq`,
    [after, limit],
  );
  const events = rows
    .filter((row) => row.server_seq !== null)
    .map((row) => ({
      eventId: row.event_id,
      deviceId: row.device_id,
      deviceSeq: Number(row.device_seq),
      deviceHash: row.device_hash,
      streamId: row.stream_id,
      type: row.type,
      schemaVersion: row.schema_version,
      recordedAt: row.recorded_at,
      payload: row.payload,
      metadata: row.metadata,
      serverSeq: Number(row.server_seq),
      receivedAt: row.received_at.toISOString(),
    }));
  return { events, serverHead: Number(rows[0]?.head ?? 0) };
}

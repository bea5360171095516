import type { EventMetadata, StoredEvent } from '../domain/events.ts';
import type { UpcasterRegistry } from './upcast.ts';

/** An events row exactly as stored. */
export interface EventRecord {
  position: number;
  eventId: string;
  streamId: string;
  version: number;
  type: string;
  schemaVersion: number;
  payload: string;
  metadata: string;
  recordedAt: string;
  hash: string;
}

export const EVENT_COLUMNS =
  'position, event_id AS eventId, stream_id AS streamId, version, type, schema_version AS schemaVersion, payload, metadata, recorded_at AS recordedAt, hash';

export function toStoredEvent(record: EventRecord, upcasters: UpcasterRegistry): StoredEvent {
  const raw = JSON.parse(record.payload) as Record<string, unknown>;
  return {
    position: record.position,
    eventId: record.eventId,
    streamId: record.streamId,
    version: record.version,
    type: record.type,
    schemaVersion: record.schemaVersion,
    payload: upcasters.upcast(record.type, record.schemaVersion, raw),
    metadata: JSON.parse(record.metadata) as EventMetadata,
    recordedAt: record.recordedAt,
  } as StoredEvent;
}

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

/** What projectors read: everything but the hash. */
export const PROJECTION_COLUMNS = EVENT_COLUMNS.replace(', hash', '');
export type ProjectedRecord = Omit<EventRecord, 'hash'>;

export function toStoredEvent(record: ProjectedRecord, upcasters: UpcasterRegistry): StoredEvent {
  const raw = JSON.parse(record.payload) as Record<string, unknown>;
  const payload = upcasters.upcast(record.type, record.schemaVersion, raw);
  const event = {
    position: record.position,
    eventId: record.eventId,
    streamId: record.streamId,
    version: record.version,
    type: record.type,
    schemaVersion: record.schemaVersion,
    payload,
    recordedAt: record.recordedAt,
    // Kept when the payload was not upcast, so a projection can store it without stringifying again.
    payloadText: payload === raw ? record.payload : undefined,
  } as StoredEvent;
  // Most projections never look at metadata: parse it on first use only.
  Object.defineProperty(event, 'metadata', {
    enumerable: true,
    configurable: true,
    get(this: StoredEvent) {
      const metadata = JSON.parse(record.metadata) as EventMetadata;
      Object.defineProperty(this, 'metadata', { value: metadata, enumerable: true, writable: true, configurable: true });
      return metadata;
    },
  });
  return event;
}

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

/**
 * What a projector reads: everything but the hash, the payload only of the types it handles, and
 * the metadata only if it reads it (metadata is most of an event's bytes, and most projections
 * never look at it).
 */
export function projectionColumns(handles: readonly string[], readsMetadata: boolean): string {
  const types = handles.map((type) => `'${type.replace(/'/g, "''")}'`).join(', ');
  return [
    'position, event_id AS eventId, stream_id AS streamId, version, type, schema_version AS schemaVersion',
    `CASE WHEN type IN (${types}) THEN payload END AS payload`,
    readsMetadata ? 'metadata' : 'NULL AS metadata',
    'recorded_at AS recordedAt',
  ].join(', ');
}
export type ProjectedRecord = Omit<EventRecord, 'hash' | 'payload' | 'metadata'> & { payload: string | null; metadata: string | null };

export function toStoredEvent(record: ProjectedRecord, upcasters: UpcasterRegistry): StoredEvent {
  if (record.payload === null) throw new Error(`${record.type} at position ${record.position} was read without its payload`);
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
      if (record.metadata === null) throw new Error(`${record.type} at position ${record.position} was read without its metadata: the projection must declare readsMetadata`);
      const metadata = JSON.parse(record.metadata) as EventMetadata;
      Object.defineProperty(this, 'metadata', { value: metadata, enumerable: true, writable: true, configurable: true });
      return metadata;
    },
  });
  return event;
}

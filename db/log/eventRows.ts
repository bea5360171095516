import type { InferSelectModel } from 'drizzle-orm';
import type { events } from './schema.ts';
/** Turns a payload stored at an older schema version into the current shape; the log only calls it. */
export interface PayloadUpcaster {
  upcast(type: string, schemaVersion: number, payload: Record<string, unknown>): Record<string, unknown>;
}

/** An events row as EVENT_COLUMNS reads it (the drizzle table is the one description of its columns). */
export type EventRecord = Omit<InferSelectModel<typeof events>, 'correlationId' | 'commandId'>;

/** An event as read back from the log, payload upcast. The log knows no event types: the layers above do. */
export interface LoggedEvent extends Omit<EventRecord, 'payload' | 'metadata' | 'hash'> {
  payload: Record<string, unknown>;
  metadata: Record<string, unknown>;
  /** The stored payload JSON, when it needed no upcasting. */
  payloadText?: string | undefined;
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

export function toLoggedEvent(record: ProjectedRecord, upcaster: PayloadUpcaster): LoggedEvent {
  if (record.payload === null) throw new Error(`${record.type} at position ${record.position} was read without its payload`);
  const raw = JSON.parse(record.payload) as Record<string, unknown>;
  const payload = upcaster.upcast(record.type, record.schemaVersion, raw);
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
  } as LoggedEvent;
  // Most projections never look at metadata: parse it on first use only.
  Object.defineProperty(event, 'metadata', {
    enumerable: true,
    configurable: true,
    get(this: LoggedEvent) {
      if (record.metadata === null) throw new Error(`${record.type} at position ${record.position} was read without its metadata: the projection must declare readsMetadata`);
      const metadata = JSON.parse(record.metadata) as Record<string, unknown>;
      Object.defineProperty(this, 'metadata', { value: metadata, enumerable: true, writable: true, configurable: true });
      return metadata;
    },
  });
  return event;
}

import { eventTypes, type StoredEvent } from '../../domain/events.ts';
import { insertInto } from '../../readmodel/tableSql.ts';
import { defineProjection } from '../../readmodel/projection.ts';
import { historyEvents, historySearchDdl, historySearchMergePolicy } from './tables.ts';

/** Words support staff search for: the type, the stream and every string or number in the payload. */
export function searchableText(type: string, streamId: string, payload: unknown): string {
  const parts: string[] = [type, streamId];
  const visit = (value: unknown): void => {
    if (typeof value === 'string' || typeof value === 'number') parts.push(String(value));
    else if (Array.isArray(value)) value.forEach(visit);
    else if (value !== null && typeof value === 'object') Object.values(value).forEach(visit);
  };
  visit(payload);
  return parts.join(' ');
}

export const eventHistory = defineProjection({
  name: 'event_history',
  version: 1,
  policy: 'park',
  tables: [historyEvents],
  logNumbering: { history_events: { positions: ['position'], versions: ['version'] } },
  extraDdl: [historySearchDdl, ...historySearchMergePolicy],
  handles: eventTypes,
  readsMetadata: true,
  prepare(db) {
    const insert = insertInto(db, historyEvents);
    const index = db.prepare('INSERT INTO history_search (rowid, body) VALUES (?, ?)');
    const merge = db.prepare("INSERT INTO history_search(history_search, rank) VALUES('merge', ?)");
    let indexedSinceMerge = 0;
    // A few pages per batch keep the segments few (measured: 4 pages per 10 rows keeps up) with no merge stall.
    const mergeSome = () => {
      if (indexedSinceMerge < 10) return;
      merge.run(Math.min(64, Math.ceil(indexedSinceMerge * 0.4)));
      indexedSinceMerge = 0;
    };
    const apply = (event: StoredEvent) => {
      const m = event.metadata;
      insert.run({
        position: event.position,
        eventId: event.eventId,
        streamId: event.streamId,
        version: event.version,
        type: event.type,
        schemaVersion: event.schemaVersion,
        recordedAt: event.recordedAt,
        actor: m.actor,
        correlationId: m.correlationId,
        causationId: m.causationId,
        commandId: m.commandId,
        deviceId: m.deviceId,
        payload: event.payloadText ?? JSON.stringify(event.payload),
      });
      index.run(event.position, searchableText(event.type, event.streamId, event.payload));
      indexedSinceMerge++;
    };
    return { apply, flush: mergeSome, reset: () => (indexedSinceMerge = 0) };
  },
});

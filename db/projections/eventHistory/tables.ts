import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/** Every event with its envelope, for support staff: what happened, who did it, and in which command. */
export const historyEvents = sqliteTable(
  'history_events',
  {
    position: integer('position').primaryKey(),
    eventId: text('event_id').notNull(),
    streamId: text('stream_id').notNull(),
    version: integer('version').notNull(),
    type: text('type').notNull(),
    schemaVersion: integer('schema_version').notNull(),
    recordedAt: text('recorded_at').notNull(),
    actor: text('actor'),
    correlationId: text('correlation_id'),
    causationId: text('causation_id'),
    commandId: text('command_id'),
    deviceId: text('device_id'),
    payload: text('payload').notNull(),
  },
  (t) => [
    index('history_by_stream').on(t.streamId, t.position),
    index('history_by_type').on(t.type, t.position),
    index('history_by_actor').on(t.actor, t.position),
    index('history_by_correlation').on(t.correlationId, t.position),
    index('history_by_time').on(t.recordedAt),
  ],
);

/** Contentless full-text index keyed by position; detail=none keeps it small (term search, no phrases). */
export const historySearchDdl = `CREATE VIRTUAL TABLE IF NOT EXISTS history_search USING fts5(body, content='', detail=none, tokenize='unicode61 remove_diacritics 2')`;

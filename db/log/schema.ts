// Table definitions of the event log (events.db). drizzle-kit generates the migrations in
// ./migrations from this file; the append-only guards live in a hand-written migration.
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

export const events = sqliteTable(
  'events',
  {
    position: integer('position').primaryKey(),
    eventId: text('event_id').notNull(),
    streamId: text('stream_id').notNull(),
    version: integer('version').notNull(),
    type: text('type').notNull(),
    schemaVersion: integer('schema_version').notNull(),
    payload: text('payload').notNull(),
    metadata: text('metadata').notNull(),
    recordedAt: text('recorded_at').notNull(),
    correlationId: text('correlation_id'),
    commandId: text('command_id'),
    /** sha256 over the previous event's hash and this event's canonical bytes (tamper evidence). */
    hash: text('hash').notNull(),
  },
  (t) => [
    uniqueIndex('events_stream_version').on(t.streamId, t.version),
    uniqueIndex('events_event_id').on(t.eventId),
    index('events_type').on(t.type),
    index('events_correlation').on(t.correlationId),
    index('events_recorded_at').on(t.recordedAt),
  ],
);

/**
 * One row per accepted command and the positions of its events: a second delivery of the same
 * id is answered from those events. It also names the log's last acknowledged position, so
 * events cut off the end of the log are noticed by verify.
 */
export const commands = sqliteTable('commands', {
  commandId: text('command_id').primaryKey(),
  type: text('type').notNull(),
  firstPosition: integer('first_position').notNull(),
  lastPosition: integer('last_position').notNull(),
});

/** Write-side uniqueness across parcel streams, updated in the same transaction as the append. */
export const trackingCodes = sqliteTable('tracking_codes', {
  trackingCode: text('tracking_code').primaryKey(),
  parcelId: text('parcel_id').notNull(),
  position: integer('position').notNull(),
});

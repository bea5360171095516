// Table definitions of the event log (events.db). drizzle-kit generates the migrations in
// ./migrations from this file; the append-only guards live in a hand-written migration.
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

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

/**
 * Write-side uniqueness across streams (a tracking code names one parcel, say): each key of a kind
 * is reserved once, by the owner the decision named, in the same transaction as the events that
 * claim it. The log does not know what the kinds mean.
 */
export const reservations = sqliteTable(
  'reservations',
  {
    kind: text('kind').notNull(),
    key: text('key').notNull(),
    owner: text('owner').notNull(),
    /** Position of the first event of the command that reserved it. */
    position: integer('position').notNull(),
  },
  (t) => [primaryKey({ columns: [t.kind, t.key] })],
);

/** This data folder's identity as a device (one row, made at first open): every event it records names it. */
export const device = sqliteTable('device', {
  deviceId: text('device_id').primaryKey(),
  createdAt: text('created_at').notNull(),
});

/**
 * Where each event was recorded: its origin device, its place in that device's dense sequence,
 * and that device's hash chain (db/log/originHash.ts). Events this folder records get the next
 * number of its own device; pulled events keep theirs.
 */
export const eventOrigins = sqliteTable(
  'event_origins',
  {
    position: integer('position').primaryKey(),
    deviceId: text('device_id').notNull(),
    deviceSeq: integer('device_seq').notNull(),
    deviceHash: text('device_hash').notNull(),
  },
  (t) => [uniqueIndex('event_origins_device_seq').on(t.deviceId, t.deviceSeq)],
);

/**
 * The sync server's one shared order, as far as this folder has pulled it: each row stored in the
 * same transaction as the pulled events, so the pull cursor (the highest server_seq) never runs
 * ahead of what is stored.
 */
export const serverOrder = sqliteTable(
  'server_order',
  {
    serverSeq: integer('server_seq').primaryKey(),
    position: integer('position').notNull(),
    receivedAt: text('received_at').notNull(),
  },
  (t) => [uniqueIndex('server_order_position').on(t.position)],
);

/**
 * Where the server's order differs from this log's: the first event of a pulled page that the
 * server puts before events this log already held. From there on, read models built in log order
 * would differ from a build in the server's order, so they are rebuilt in that order.
 */
export const reorders = sqliteTable('reorders', {
  position: integer('position').primaryKey(),
  serverSeq: integer('server_seq').notNull(),
});

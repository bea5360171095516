// Table definitions of the sync server's PostgreSQL database. drizzle-kit generates the migrations
// in ./migrations from this file (drizzle.sync.config.ts); the one-row tables are filled by a
// hand-written migration.
import { sql } from 'drizzle-orm';
import { bigint, bigserial, check, index, integer, jsonb, pgTable, smallint, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';

const moment = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });
const count = (name: string) => bigint(name, { mode: 'number' });

/** This server's identity (one row, made by the first migration): every laptop remembers which server it synced with. */
export const serverIdentity = pgTable(
  'server_identity',
  {
    singleton: smallint('singleton').primaryKey().default(1),
    serverId: uuid('server_id').notNull().defaultRandom(),
    createdAt: moment('created_at').notNull().defaultNow(),
  },
  (t) => [check('server_identity_one_row', sql`${t.singleton} = 1`)],
);

/**
 * The last server sequence handed out (one row). Every push locks it FOR UPDATE and numbers its
 * events from it, so sequences are dense and in commit order: a pull by cursor never skips.
 */
export const serverCounter = pgTable(
  'server_counter',
  {
    singleton: smallint('singleton').primaryKey().default(1),
    lastSeq: count('last_seq').notNull().default(0),
  },
  (t) => [check('server_counter_one_row', sql`${t.singleton} = 1`)],
);

/** An enrolled laptop, named by its data folder's device id. */
export const devices = pgTable(
  'devices',
  {
    deviceId: uuid('device_id').primaryKey(),
    name: text('name').notNull(),
    /** sha256 hex of the device's secret; the secret itself is shown once, at enrolment. */
    secretSha256: text('secret_sha256').notNull(),
    enrolledAt: moment('enrolled_at').notNull(),
    revokedAt: moment('revoked_at'),
    lastSeenAt: moment('last_seen_at'),
    /** The device's highest sequence the server holds (stored, or quarantined as another device's event id). */
    ackedSeq: count('acked_seq').notNull().default(0),
    /** The device hash at ackedSeq: the next event must chain from it. */
    chainHead: text('chain_head').notNull(),
    /** What the device last said it has recorded, pushed or not. */
    reportedHead: count('reported_head').notNull().default(0),
    /** The device's clock minus the server's, at its last request. */
    skewMs: count('skew_ms'),
    /** Set when the device sent a different event for a sequence the server already holds; its pushes are refused from then on. */
    forkedAt: moment('forked_at'),
  },
  (t) => [index('devices_name').on(t.name)],
);

/** One-time enrolment codes, kept only as hashes. */
export const enrolmentCodes = pgTable('enrolment_codes', {
  codeSha256: text('code_sha256').primaryKey(),
  deviceName: text('device_name').notNull(),
  createdAt: moment('created_at').notNull(),
  expiresAt: moment('expires_at').notNull(),
  usedAt: moment('used_at'),
  usedBy: uuid('used_by'),
});

/** Every device's events in the one shared order. */
export const events = pgTable(
  'events',
  {
    serverSeq: count('server_seq').primaryKey(),
    eventId: uuid('event_id').notNull().unique('events_event_id'),
    deviceId: uuid('device_id')
      .notNull()
      .references(() => devices.deviceId),
    deviceSeq: count('device_seq').notNull(),
    deviceHash: text('device_hash').notNull(),
    streamId: text('stream_id').notNull(),
    type: text('type').notNull(),
    schemaVersion: integer('schema_version').notNull(),
    /** JSON texts as the device recorded them, byte for byte (the device hash covers them). */
    payload: text('payload').notNull(),
    metadata: text('metadata').notNull(),
    recordedAt: text('recorded_at').notNull(),
    receivedAt: moment('received_at').notNull(),
  },
  (t) => [unique('events_device_seq').on(t.deviceId, t.deviceSeq)],
);

/** Every copy that clashed with one the server holds (a fork, another device's event id), kept as it came for a person to look at. */
export const quarantine = pgTable(
  'quarantine',
  {
    // Only a row id, never a cursor: gaps here are harmless.
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    deviceId: uuid('device_id').notNull(),
    deviceSeq: count('device_seq').notNull(),
    event: jsonb('event').notNull(),
    reason: text('reason').notNull(),
    receivedAt: moment('received_at').notNull(),
  },
  (t) => [index('quarantine_device_seq').on(t.deviceId, t.deviceSeq)],
);

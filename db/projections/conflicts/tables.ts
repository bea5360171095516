import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import type { ConflictKind, ConflictOutcome } from '../../contract/index.ts';

/** Every rule the shared order broke, for a person to look at and resolve. */
export const conflicts = sqliteTable(
  'conflicts',
  {
    /** The same on every laptop, whatever order the two events reached it in (see conflictId). */
    conflictId: text('conflict_id').primaryKey(),
    kind: text('kind').$type<ConflictKind>().notNull(),
    parcelId: text('parcel_id').notNull(),
    summary: text('summary').notNull(),
    firstPosition: integer('first_position').notNull(),
    /** The event that broke the rule; pages go by it. */
    position: integer('position').notNull(),
    state: text('state').$type<'open' | 'resolved'>().notNull(),
    outcome: text('outcome').$type<ConflictOutcome>(),
    note: text('note'),
    resolvedBy: text('resolved_by'),
    resolvedAt: text('resolved_at'),
  },
  (t) => [index('conflicts_by_state').on(t.state, t.position), index('conflicts_by_position').on(t.position)],
);

/** The events a conflict can name, as a person needs to see them. */
export const conflictSides = sqliteTable('conflict_sides', {
  position: integer('position').primaryKey(),
  eventId: text('event_id').notNull(),
  type: text('type').notNull(),
  deviceId: text('device_id'),
  actor: text('actor'),
  recordedAt: text('recorded_at').notNull(),
});

/** Private: what the rules need to know of each parcel, by the positions of the events that set it. */
export const conflictParcels = sqliteTable('_parcels', {
  parcelId: text('parcel_id').primaryKey(),
  trackingCode: text('tracking_code').notNull(),
  registeredPosition: integer('registered_position').notNull(),
  deliveredPosition: integer('delivered_position'),
  lostPosition: integer('lost_position'),
});

/** Private: which parcel holds each tracking code (the first registration in the order). */
export const conflictCodes = sqliteTable('_codes', {
  trackingCode: text('tracking_code').primaryKey(),
  parcelId: text('parcel_id').notNull(),
  position: integer('position').notNull(),
});

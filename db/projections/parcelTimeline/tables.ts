import { integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/** One human-readable row per event of a parcel's stream, for the parcel screen's history. */
export const parcelTimeline = sqliteTable(
  'parcel_timeline',
  {
    parcelId: text('parcel_id').notNull(),
    position: integer('position').notNull(),
    eventId: text('event_id').notNull(),
    type: text('type').notNull(),
    at: text('at').notNull(),
    summary: text('summary').notNull(),
    depotId: text('depot_id'),
    routeId: text('route_id'),
    actor: text('actor'),
  },
  (t) => [primaryKey({ columns: [t.parcelId, t.position] })],
);

/** Private: depot names for the summaries. */
export const timelineDepots = sqliteTable('_depots', {
  depotId: text('depot_id').primaryKey(),
  name: text('name').notNull(),
});

/** Private: driver names for the summaries. */
export const timelineDrivers = sqliteTable('_drivers', {
  driverId: text('driver_id').primaryKey(),
  name: text('name').notNull(),
});

/** Private: each parcel's stop number on a route, which ParcelOutForDelivery does not carry. */
export const timelineStops = sqliteTable(
  '_stops',
  {
    routeId: text('route_id').notNull(),
    parcelId: text('parcel_id').notNull(),
    stop: integer('stop').notNull(),
  },
  (t) => [primaryKey({ columns: [t.routeId, t.parcelId] })],
);

import { primaryKey, sqliteTable, text, integer } from 'drizzle-orm/sqlite-core';

/** Every depot, for the depot board. */
export const depots = sqliteTable('depots', {
  depotId: text('depot_id').primaryKey(),
  name: text('name').notNull(),
  region: text('region').notNull(),
});

/** Parcels bound for each depot, by their current status. */
export const depotCounts = sqliteTable(
  'depot_counts',
  {
    depotId: text('depot_id').notNull(),
    status: text('status').notNull(),
    n: integer('n').notNull(),
  },
  (t) => [primaryKey({ columns: [t.depotId, t.status] })],
);

/** Private: each parcel's destination and current status, to move it between counts. */
export const boardParcels = sqliteTable('_parcels', {
  parcelId: text('parcel_id').primaryKey(),
  depotId: text('depot_id').notNull(),
  status: text('status').notNull(),
});

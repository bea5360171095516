import { integer, primaryKey, real, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/** How long deliveries took, per destination region and the weather there when delivered. */
export const deliveryDurations = sqliteTable(
  'delivery_durations',
  {
    region: text('region').notNull(),
    /** A weather condition, or 'unknown' when none was recorded for the region yet. */
    condition: text('condition').notNull(),
    deliveries: integer('deliveries').notNull(),
    totalHours: real('total_hours').notNull(),
    minHours: real('min_hours').notNull(),
    maxHours: real('max_hours').notNull(),
  },
  (t) => [primaryKey({ columns: [t.region, t.condition] })],
);

/** Each region's current weather and since when it has held. */
export const regionWeather = sqliteTable('region_weather', {
  region: text('region').primaryKey(),
  condition: text('condition').notNull(),
  since: text('since').notNull(),
});

/** Private: where each parcel is going and when it was registered, to time its delivery. */
export const statsParcels = sqliteTable('_parcels', {
  parcelId: text('parcel_id').primaryKey(),
  region: text('region'),
  registeredAt: text('registered_at').notNull(),
});

/** Private: depot regions. */
export const statsDepots = sqliteTable('_depots', {
  depotId: text('depot_id').primaryKey(),
  region: text('region').notNull(),
});


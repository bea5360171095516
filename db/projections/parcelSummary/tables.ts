import type { ParcelStatus } from '../../contract/index.ts';
import { index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

/** One flat row per parcel, for the parcel list and the parcel screen. */
export const parcelSummary = sqliteTable(
  'parcel_summary',
  {
    parcelId: text('parcel_id').primaryKey(),
    /** Position of the parcel's ParcelRegistered event; the rowid of its full-text entry. */
    seq: integer('seq').notNull(),
    trackingCode: text('tracking_code').notNull(),
    recipientName: text('recipient_name').notNull(),
    recipientPhone: text('recipient_phone'),
    street: text('street').notNull(),
    city: text('city').notNull(),
    postcode: text('postcode').notNull(),
    description: text('description'),
    weightKg: real('weight_kg').notNull(),
    originDepotId: text('origin_depot_id').notNull(),
    destinationDepotId: text('destination_depot_id').notNull(),
    destinationRegion: text('destination_region'),
    status: text('status').$type<ParcelStatus>().notNull(),
    currentDepotId: text('current_depot_id'),
    routeId: text('route_id'),
    driverId: text('driver_id'),
    attempts: integer('attempts').notNull(),
    exceptions: integer('exceptions').notNull(),
    lastException: text('last_exception'),
    promisedBy: text('promised_by'),
    registeredAt: text('registered_at').notNull(),
    deliveredAt: text('delivered_at'),
    updatedAt: text('updated_at').notNull(),
    /** JSON object: for every field, the position of the event that last set it. */
    setBy: text('set_by').notNull(),
    lastPosition: integer('last_position').notNull(),
  },
  (t) => [
    uniqueIndex('parcel_summary_by_seq').on(t.seq),
    uniqueIndex('parcel_summary_by_tracking').on(t.trackingCode),
    index('parcel_summary_by_updated').on(t.lastPosition),
    index('parcel_summary_by_status').on(t.status, t.lastPosition),
    index('parcel_summary_by_status_tracking').on(t.status, t.trackingCode),
    index('parcel_summary_by_depot').on(t.destinationDepotId, t.lastPosition),
    index('parcel_summary_by_depot_tracking').on(t.destinationDepotId, t.trackingCode),
  ],
);

/** Parcels per destination depot and status, kept in step with every status change so totals never scan. */
export const parcelCounts = sqliteTable(
  'parcel_counts',
  {
    destinationDepotId: text('destination_depot_id').notNull(),
    status: text('status').notNull(),
    n: integer('n').notNull(),
  },
  (t) => [primaryKey({ columns: [t.destinationDepotId, t.status] })],
);

/** Private: a depot's region, to fill destination_region. */
export const summaryDepots = sqliteTable('_depots', {
  depotId: text('depot_id').primaryKey(),
  region: text('region').notNull(),
});

/** Past delivery durations per region and weather: what queries estimate a parcel's delivery from. */
export const summaryEtaHistory = sqliteTable(
  '_eta_history',
  {
    region: text('region').notNull(),
    condition: text('condition').notNull(),
    deliveries: integer('deliveries').notNull(),
    totalHours: real('total_hours').notNull(),
  },
  (t) => [primaryKey({ columns: [t.region, t.condition] })],
);

/** Each region's latest recorded weather, for the estimate. */
export const summaryRegionWeather = sqliteTable('_region_weather', {
  region: text('region').primaryKey(),
  condition: text('condition').notNull(),
});

/**
 * Contentless full-text index over what people search a parcel by, rowid = seq. The fields it
 * holds are set once at registration, so entries never need deleting.
 */
export const parcelSearchDdl =
  "CREATE VIRTUAL TABLE IF NOT EXISTS parcel_search USING fts5(body, content='', detail=none, tokenize='unicode61 remove_diacritics 2')";

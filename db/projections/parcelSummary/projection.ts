import type { ParcelStatus } from '../../contract/index.ts';
import type { StoredEvent } from '../../domain/events.ts';
import { defineProjection } from '../../readmodel/projection.ts';
import { insertInto, selectList } from '../../readmodel/tableSql.ts';
import { evolveParcel, initialParcel, type ParcelState } from '../../domain/parcel.ts';
import { hoursBetween, type EtaCondition } from '../etaModel.ts';
import { RegionCache } from './regionCache.ts';
import {
  parcelCounts,
  parcelSearchDdl,
  parcelSummary as parcelSummaryTable,
  summaryDepots,
  summaryEtaHistory,
  summaryRegionWeather,
} from './tables.ts';

/** The fields parcel events change after registration. */
interface MutableFields {
  status: ParcelStatus;
  currentDepotId: string | null;
  routeId: string | null;
  driverId: string | null;
  attempts: number;
  exceptions: number;
  lastException: string | null;
  deliveredAt: string | null;
}

type ParcelEvent = Extract<
  StoredEvent,
  { type: 'ParcelScanned' | 'ParcelAddedToRoute' | 'ParcelOutForDelivery' | 'DeliveryAttempted' | 'ExceptionReported' }
>;

const exceptionLabel = (kind: string, note: string | null) => `${kind.replace(/_/g, ' ')}${note ? `: ${note}` : ''}`;

/** The fields the domain's parcel rules (evolveParcel) decide, as this row holds them. */
const DOMAIN_FIELDS = ['status', 'currentDepotId', 'routeId', 'attempts'] as const;

/**
 * The fields one parcel event sets: status, depot, route and attempts by the domain's own rules
 * (evolveParcel, the rules decisions use), plus what only the screen shows (driver, delivery time,
 * exceptions).
 */
function summaryChanges(row: MutableFields, event: ParcelEvent): Partial<MutableFields> {
  const before: ParcelState = { ...initialParcel, exists: true, status: row.status, currentDepotId: row.currentDepotId, routeId: row.routeId, attempts: row.attempts };
  const after = evolveParcel(before, event);
  const changes: Partial<MutableFields> = {};
  for (const key of DOMAIN_FIELDS) if (after[key] !== before[key]) Object.assign(changes, { [key]: after[key] });
  switch (event.type) {
    case 'ParcelAddedToRoute':
    case 'ParcelOutForDelivery':
    case 'DeliveryAttempted':
      changes.driverId = event.payload.driverId;
      if (event.type === 'DeliveryAttempted' && event.payload.outcome === 'delivered') changes.deliveredAt = event.payload.at;
      break;
    case 'ExceptionReported':
      changes.exceptions = row.exceptions + 1;
      changes.lastException = exceptionLabel(event.payload.kind, event.payload.note);
      break;
  }
  return changes;
}

const REGISTRATION_FIELDS = [
  'parcelId', 'trackingCode', 'recipientName', 'recipientPhone', 'street', 'city', 'postcode', 'description', 'weightKg',
  'originDepotId', 'destinationDepotId', 'destinationRegion', 'status', 'currentDepotId', 'routeId', 'driverId', 'attempts',
  'exceptions', 'lastException', 'promisedBy', 'registeredAt', 'deliveredAt', 'updatedAt',
] as const;

const setByJson = (setBy: ReadonlyMap<string, number>) => `{${[...setBy].map(([key, position]) => `"${key}":${position}`).join(',')}}`;

/** A parcel's row as the handler holds it between events; `setBy` holds only what changed since the last write. */
interface HeldRow extends MutableFields {
  parcelId: string;
  destinationDepotId: string;
  destinationRegion: string | null;
  registeredAt: string;
  updatedAt: string;
  lastPosition: number;
  setBy: Map<string, number>;
}

/** What the handler reads back of a stored row it does not hold. */
const HELD_FIELDS = [
  'parcelId', 'status', 'currentDepotId', 'routeId', 'driverId', 'attempts', 'exceptions', 'lastException', 'deliveredAt',
  'destinationDepotId', 'destinationRegion', 'registeredAt', 'updatedAt', 'lastPosition',
] as const;

/** Parcel rows held between events and batches; the oldest clean ones go past this many. */
const HELD_ROWS_MAX = 50_000;

export const parcelSummary = defineProjection({
  name: 'parcel_summary',
  // 3: no stored ETA; queries estimate it from the region history kept here (one ETA everywhere).
  version: 3,
  policy: 'park',
  tables: [parcelSummaryTable, parcelCounts, summaryDepots, summaryEtaHistory, summaryRegionWeather],
  logNumbering: { parcel_summary: { positions: ['seq', 'last_position'], positionMaps: ['set_by'] } },
  extraDdl: [parcelSearchDdl],
  // Registrations, scans and deliveries touch parcels all over the table: catch-up at 200,000
  // events ran at 35,000 events/s with an 8 MiB cache and 55,000 with 32 MiB.
  followerCacheMiB: 32,
  handles: [
    'DepotRegistered',
    'WeatherRecorded',
    'ParcelRegistered',
    'ParcelScanned',
    'ParcelAddedToRoute',
    'ParcelOutForDelivery',
    'DeliveryAttempted',
    'ExceptionReported',
  ],
  prepare(db) {
    const putDepot = db.prepare(
      'INSERT INTO _depots (depot_id, region) VALUES (?, ?) ON CONFLICT (depot_id) DO UPDATE SET region = excluded.region',
    );
    const putWeather = db.prepare(
      'INSERT INTO _region_weather (region, condition) VALUES (?, ?) ON CONFLICT (region) DO UPDATE SET condition = excluded.condition',
    );
    const addDuration = db.prepare(
      `INSERT INTO _eta_history (region, condition, deliveries, total_hours) VALUES (?, ?, 1, ?)
       ON CONFLICT (region, condition) DO UPDATE SET deliveries = deliveries + 1, total_hours = total_hours + excluded.total_hours`,
    );
    const bumpCount = db.prepare(
      `INSERT INTO parcel_counts (destination_depot_id, status, n) VALUES (?, ?, ?)
       ON CONFLICT (destination_depot_id, status) DO UPDATE SET n = n + excluded.n`,
    );
    const readDepots = db.prepare(`SELECT ${selectList(summaryDepots)} FROM _depots`);
    const readWeather = db.prepare(`SELECT ${selectList(summaryRegionWeather)} FROM _region_weather`);
    const readRow = db.prepare(`SELECT ${selectList(parcelSummaryTable, { only: HELD_FIELDS })} FROM parcel_summary WHERE parcel_id = ?`);
    const insert = insertInto(db, parcelSummaryTable);
    const index = db.prepare('INSERT INTO parcel_search (rowid, body) VALUES (?, ?)');
    const update = db.prepare(
      `UPDATE parcel_summary SET status = ?, current_depot_id = ?, route_id = ?, driver_id = ?, attempts = ?, exceptions = ?,
         last_exception = ?, delivered_at = ?, updated_at = ?, last_position = ?, set_by = json_patch(set_by, ?)
       WHERE parcel_id = ?`,
    );

    const regions = new RegionCache(() => ({
      depots: readDepots.all() as { depotId: string; region: string }[],
      weather: readWeather.all() as { region: string; condition: EtaCondition }[],
    }));
    /** Parcel rows, oldest use first (a Map keeps insertion order; a use moves a row to the end). */
    const held = new Map<string, HeldRow>();
    const dirty = new Set<HeldRow>();
    /** Count changes per depot and status since the last flush; every key touched is written, even at 0, as one write per change would. */
    const countChanges = new Map<string, { depotId: string; status: string; delta: number }>();
    const bump = (depotId: string, status: string, delta: number) => {
      const key = `${depotId}\u0000${status}`;
      const change = countChanges.get(key);
      if (change) change.delta += delta;
      else countChanges.set(key, { depotId, status, delta });
    };

    function heldRow(parcelId: string): HeldRow | undefined {
      const row = held.get(parcelId);
      if (row) {
        held.delete(parcelId);
        held.set(parcelId, row);
        return row;
      }
      const stored = readRow.get(parcelId) as Omit<HeldRow, 'setBy'> | undefined;
      if (!stored) return undefined;
      const loaded: HeldRow = { ...stored, setBy: new Map() };
      held.set(parcelId, loaded);
      return loaded;
    }

    function register(event: Extract<StoredEvent, { type: 'ParcelRegistered' }>): void {
      const p = event.payload;
      // Registered again on another laptop while offline: a conflict, and the first registration in the order stands.
      if (heldRow(p.parcelId) !== undefined) return;
      const r = p.recipient;
      // What the handler holds of the new row; the insert adds what never changes after registration.
      const row: HeldRow = {
        parcelId: p.parcelId,
        status: 'registered',
        currentDepotId: p.originDepotId,
        routeId: null,
        driverId: null,
        attempts: 0,
        exceptions: 0,
        lastException: null,
        deliveredAt: null,
        destinationDepotId: p.destinationDepotId,
        destinationRegion: regions.regionOf(p.destinationDepotId),
        registeredAt: p.at,
        updatedAt: p.at,
        lastPosition: event.position,
        setBy: new Map(),
      };
      insert.run({
        ...row,
        seq: event.position,
        trackingCode: p.trackingCode,
        recipientName: r.name,
        recipientPhone: r.phone ?? null,
        street: r.street,
        city: r.city,
        postcode: r.postcode,
        description: p.description,
        weightKg: p.weightKg,
        originDepotId: p.originDepotId,
        promisedBy: p.promisedBy,
        setBy: setByJson(new Map(REGISTRATION_FIELDS.map((key) => [key, event.position]))),
      });
      index.run(event.position, [p.trackingCode, r.name, r.street, r.city, r.postcode, p.description ?? ''].join(' '));
      bump(p.destinationDepotId, 'registered', 1);
      held.delete(p.parcelId);
      held.set(p.parcelId, row);
    }

    function change(event: ParcelEvent): void {
      const row = heldRow(event.payload.parcelId);
      if (!row) throw new Error(`parcel_summary has no row for parcel ${event.payload.parcelId}; its registration is missing or parked`);
      const changes = summaryChanges(row, event);
      const before = row.status;
      Object.assign(row, changes);
      row.updatedAt = event.payload.at;
      row.lastPosition = event.position;
      for (const key of Object.keys(changes)) row.setBy.set(key, event.position);
      row.setBy.set('updatedAt', event.position);
      dirty.add(row);
      if (row.status !== before) {
        bump(row.destinationDepotId, before, -1);
        bump(row.destinationDepotId, row.status, 1);
      }
      if (event.type === 'DeliveryAttempted' && row.status === 'delivered' && row.destinationRegion !== null) {
        addDuration.run(row.destinationRegion, regions.weatherIn(row.destinationRegion), hoursBetween(row.registeredAt, event.payload.at));
      }
    }

    function flush(): void {
      for (const row of dirty) {
        update.run(
          row.status, row.currentDepotId, row.routeId, row.driverId, row.attempts, row.exceptions, row.lastException,
          row.deliveredAt, row.updatedAt, row.lastPosition, setByJson(row.setBy), row.parcelId,
        );
        row.setBy.clear();
      }
      dirty.clear();
      for (const { depotId, status, delta } of countChanges.values()) bumpCount.run(depotId, status, delta);
      countChanges.clear();
      for (const parcelId of held.keys()) {
        if (held.size <= HELD_ROWS_MAX) break;
        held.delete(parcelId);
      }
    }

    function reset(): void {
      held.clear();
      dirty.clear();
      countChanges.clear();
      regions.reset();
    }

    function apply(event: StoredEvent): void {
      switch (event.type) {
        case 'DepotRegistered':
          putDepot.run(event.payload.depotId, event.payload.region);
          return regions.setDepot(event.payload.depotId, event.payload.region);
        case 'WeatherRecorded':
          putWeather.run(event.payload.region, event.payload.condition);
          return regions.setWeather(event.payload.region, event.payload.condition);
        case 'ParcelRegistered':
          return register(event);
        case 'ParcelScanned':
        case 'ParcelAddedToRoute':
        case 'ParcelOutForDelivery':
        case 'DeliveryAttempted':
        case 'ExceptionReported':
          return change(event);
      }
    }

    return { apply, flush, reset };
  },
});

import type { ParcelStatus } from '../../contract.ts';
import type { StoredEvent } from '../../domain/events.ts';
import { defineProjection } from '../../readmodel/projection.ts';
import { estimateEta, hoursBetween, type DurationStats, type EtaCondition } from '../etaModel.ts';
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

/** What the estimate needs besides the parcel: the region's weather now and its delivery history. */
interface EtaContext {
  region: string | null;
  condition: EtaCondition;
  conditionDeliveries: number | null;
  conditionHours: number | null;
  regionDeliveries: number | null;
  regionHours: number | null;
}

interface CurrentRow extends MutableFields, EtaContext {
  destinationDepotId: string;
  registeredAt: string;
}

type ParcelEvent = Extract<
  StoredEvent,
  { type: 'ParcelScanned' | 'ParcelAddedToRoute' | 'ParcelOutForDelivery' | 'DeliveryAttempted' | 'ExceptionReported' }
>;

const exceptionLabel = (kind: string, note: string | null) => `${kind.replace(/_/g, ' ')}${note ? `: ${note}` : ''}`;

/** The fields one parcel event sets; the same rules as the domain's evolveParcel, plus what the screen shows. */
function summaryChanges(row: MutableFields, event: ParcelEvent): Partial<MutableFields> {
  switch (event.type) {
    case 'ParcelScanned':
      return event.payload.kind === 'arrived'
        ? { status: 'at_depot', currentDepotId: event.payload.depotId }
        : { status: 'in_transit', currentDepotId: null };
    case 'ParcelAddedToRoute':
      return { status: 'planned', routeId: event.payload.routeId, driverId: event.payload.driverId };
    case 'ParcelOutForDelivery':
      return { status: 'out_for_delivery', routeId: event.payload.routeId, driverId: event.payload.driverId };
    case 'DeliveryAttempted':
      return event.payload.outcome === 'delivered'
        ? {
            status: 'delivered',
            attempts: row.attempts + 1,
            routeId: null,
            currentDepotId: null,
            driverId: event.payload.driverId,
            deliveredAt: event.payload.at,
          }
        : { status: 'attempt_failed', attempts: row.attempts + 1, routeId: null, driverId: event.payload.driverId };
    case 'ExceptionReported': {
      const reported = { exceptions: row.exceptions + 1, lastException: exceptionLabel(event.payload.kind, event.payload.note) };
      return event.payload.kind === 'lost' ? { ...reported, status: 'lost', routeId: null } : reported;
    }
  }
}

const stats = (deliveries: number | null, hours: number | null): DurationStats | null =>
  deliveries === null ? null : { deliveries, totalHours: hours ?? 0 };

function etaFor(fields: MutableFields, registeredAt: string, context: EtaContext): string | null {
  return estimateEta({
    status: fields.status,
    registeredAt,
    deliveredAt: fields.deliveredAt,
    region: context.region,
    condition: context.condition,
    inCondition: stats(context.conditionDeliveries, context.conditionHours),
    inRegion: stats(context.regionDeliveries, context.regionHours),
  }).eta;
}

const setByPatch = (keys: readonly string[], position: number) => `{${keys.map((key) => `"${key}":${position}`).join(',')}}`;

const REGISTRATION_FIELDS = [
  'parcelId', 'trackingCode', 'recipientName', 'recipientPhone', 'street', 'city', 'postcode', 'description', 'weightKg',
  'originDepotId', 'destinationDepotId', 'destinationRegion', 'status', 'currentDepotId', 'routeId', 'driverId', 'attempts',
  'exceptions', 'lastException', 'promisedBy', 'registeredAt', 'eta', 'deliveredAt', 'updatedAt',
] as const;

/** Weather and history columns for a region expression `r`, joined as w, h. */
const ETA_CONTEXT = (r: string) => ({
  columns: `coalesce(w.condition, 'unknown') AS condition, h.deliveries AS conditionDeliveries, h.total_hours AS conditionHours,
    (SELECT sum(deliveries) FROM _eta_history WHERE region = ${r}) AS regionDeliveries,
    (SELECT sum(total_hours) FROM _eta_history WHERE region = ${r}) AS regionHours`,
  joins: `LEFT JOIN _region_weather w ON w.region = ${r}
    LEFT JOIN _eta_history h ON h.region = ${r} AND h.condition = coalesce(w.condition, 'unknown')`,
});

export const parcelSummary = defineProjection({
  name: 'parcel_summary',
  version: 1,
  policy: 'park',
  tables: [parcelSummaryTable, parcelCounts, summaryDepots, summaryEtaHistory, summaryRegionWeather],
  extraDdl: [parcelSearchDdl],
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
    const registrationContext = ETA_CONTEXT('d.region');
    const contextForDepot = db.prepare(
      `SELECT d.region AS region, ${registrationContext.columns}
       FROM (SELECT ? AS depot_id) q LEFT JOIN _depots d ON d.depot_id = q.depot_id ${registrationContext.joins}`,
    );
    const rowContext = ETA_CONTEXT('p.destination_region');
    const currentRow = db.prepare(
      `SELECT p.status, p.current_depot_id AS currentDepotId, p.route_id AS routeId, p.driver_id AS driverId, p.attempts,
         p.exceptions, p.last_exception AS lastException, p.delivered_at AS deliveredAt, p.destination_depot_id AS destinationDepotId,
         p.registered_at AS registeredAt, p.destination_region AS region, ${rowContext.columns}
       FROM parcel_summary p ${rowContext.joins} WHERE p.parcel_id = ?`,
    );
    const insert = db.prepare(
      `INSERT INTO parcel_summary (parcel_id, seq, tracking_code, recipient_name, recipient_phone, street, city, postcode, description,
         weight_kg, origin_depot_id, destination_depot_id, destination_region, status, current_depot_id, route_id, driver_id, attempts,
         exceptions, last_exception, promised_by, registered_at, eta, delivered_at, updated_at, set_by, last_position)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'registered', ?, NULL, NULL, 0, 0, NULL, ?, ?, ?, NULL, ?, ?, ?)`,
    );
    const index = db.prepare('INSERT INTO parcel_search (rowid, body) VALUES (?, ?)');
    const update = db.prepare(
      `UPDATE parcel_summary SET status = ?, current_depot_id = ?, route_id = ?, driver_id = ?, attempts = ?, exceptions = ?,
         last_exception = ?, delivered_at = ?, eta = ?, updated_at = ?, last_position = ?, set_by = json_patch(set_by, ?)
       WHERE parcel_id = ?`,
    );

    function register(event: Extract<StoredEvent, { type: 'ParcelRegistered' }>): void {
      const p = event.payload;
      const context = contextForDepot.get(p.destinationDepotId) as EtaContext;
      const fields: MutableFields = {
        status: 'registered',
        currentDepotId: p.originDepotId,
        routeId: null,
        driverId: null,
        attempts: 0,
        exceptions: 0,
        lastException: null,
        deliveredAt: null,
      };
      const r = p.recipient;
      insert.run(
        p.parcelId, event.position, p.trackingCode, r.name, r.phone ?? null, r.street, r.city, r.postcode, p.description,
        p.weightKg, p.originDepotId, p.destinationDepotId, context.region, p.originDepotId, p.promisedBy, p.at,
        etaFor(fields, p.at, context), p.at, setByPatch(REGISTRATION_FIELDS, event.position), event.position,
      );
      index.run(event.position, [p.trackingCode, r.name, r.street, r.city, r.postcode, p.description ?? ''].join(' '));
      bumpCount.run(p.destinationDepotId, 'registered', 1);
    }

    function change(event: ParcelEvent): void {
      const row = currentRow.get(event.payload.parcelId) as CurrentRow | undefined;
      if (!row) throw new Error(`parcel_summary has no row for parcel ${event.payload.parcelId}; its registration is missing or parked`);
      const changes = summaryChanges(row, event);
      const next: MutableFields = { ...row, ...changes };
      const at = event.payload.at;
      update.run(
        next.status, next.currentDepotId, next.routeId, next.driverId, next.attempts, next.exceptions, next.lastException,
        next.deliveredAt, etaFor(next, row.registeredAt, row), at, event.position,
        setByPatch([...Object.keys(changes), 'eta', 'updatedAt'], event.position), event.payload.parcelId,
      );
      if (next.status !== row.status) {
        bumpCount.run(row.destinationDepotId, row.status, -1);
        bumpCount.run(row.destinationDepotId, next.status, 1);
      }
      if (event.type === 'DeliveryAttempted' && next.status === 'delivered' && row.region !== null) {
        addDuration.run(row.region, row.condition, hoursBetween(row.registeredAt, at));
      }
    }

    return (event) => {
      switch (event.type) {
        case 'DepotRegistered':
          return void putDepot.run(event.payload.depotId, event.payload.region);
        case 'WeatherRecorded':
          return void putWeather.run(event.payload.region, event.payload.condition);
        case 'ParcelRegistered':
          return register(event);
        case 'ParcelScanned':
        case 'ParcelAddedToRoute':
        case 'ParcelOutForDelivery':
        case 'DeliveryAttempted':
        case 'ExceptionReported':
          return change(event);
      }
    };
  },
});

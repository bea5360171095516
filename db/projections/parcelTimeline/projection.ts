import type { StoredEvent } from '../../domain/events.ts';
import { insertInto } from '../../readmodel/tableSql.ts';
import { defineProjection } from '../../readmodel/projection.ts';
import { parcelTimeline as parcelTimelineTable, timelineDepots, timelineDrivers, timelineStops } from './tables.ts';

/** Names the summaries need, looked up in one statement; null where an id is unknown or not asked for. */
interface Names {
  depot: string | null;
  otherDepot: string | null;
  driver: string | null;
  stop: number | null;
}

interface Lookup {
  depotId?: string;
  otherDepotId?: string;
  driverId?: string;
  routeId?: string;
  parcelId?: string;
}

type TimelineEvent = Extract<
  StoredEvent,
  { type: 'ParcelRegistered' | 'ParcelScanned' | 'ParcelAddedToRoute' | 'ParcelOutForDelivery' | 'DeliveryAttempted' | 'ExceptionReported' }
>;

const kg = (weight: number) => `${Number(weight.toFixed(2))} kg`;

/** What to look up for an event, and the sentence a support person reads for it. */
interface Described {
  lookup: Lookup;
  summary: (names: Names) => string;
  depotId: string | null;
  routeId: string | null;
}

function describeEvent(event: TimelineEvent): Described {
  switch (event.type) {
    case 'ParcelRegistered': {
      const p = event.payload;
      return {
        lookup: { depotId: p.originDepotId, otherDepotId: p.destinationDepotId },
        summary: (n) =>
          `Registered for ${p.recipient.name}, ${p.recipient.street}, ${p.recipient.city} — ${kg(p.weightKg)}, ` +
          `from ${n.depot ?? p.originDepotId} to ${n.otherDepot ?? p.destinationDepotId}`,
        depotId: p.originDepotId,
        routeId: null,
      };
    }
    case 'ParcelScanned': {
      const p = event.payload;
      return {
        lookup: { depotId: p.depotId },
        summary: (n) => `${p.kind === 'arrived' ? 'Arrived at' : 'Departed from'} ${n.depot ?? p.depotId}`,
        depotId: p.depotId,
        routeId: null,
      };
    }
    case 'ParcelAddedToRoute': {
      const p = event.payload;
      return {
        lookup: { depotId: p.depotId, driverId: p.driverId },
        summary: (n) => `Planned on route ${p.routeId} with ${n.driver ?? p.driverId} from ${n.depot ?? p.depotId}, stop ${p.stop}`,
        depotId: p.depotId,
        routeId: p.routeId,
      };
    }
    case 'ParcelOutForDelivery': {
      const p = event.payload;
      return {
        lookup: { driverId: p.driverId, routeId: p.routeId, parcelId: p.parcelId },
        summary: (n) => `Out for delivery with ${n.driver ?? p.driverId} (route ${p.routeId}${n.stop === null ? '' : `, stop ${n.stop}`})`,
        depotId: null,
        routeId: p.routeId,
      };
    }
    case 'DeliveryAttempted': {
      const p = event.payload;
      return {
        lookup: { driverId: p.driverId },
        summary: (n) =>
          p.outcome === 'delivered'
            ? `Delivered by ${n.driver ?? p.driverId} (route ${p.routeId})`
            : `Delivery failed: ${p.reason ?? 'no reason given'}`,
        depotId: null,
        routeId: p.routeId,
      };
    }
    case 'ExceptionReported': {
      const p = event.payload;
      return {
        lookup: {},
        summary: () => `Reported ${p.kind.replace(/_/g, ' ')}${p.note ? `: ${p.note}` : ''}`,
        depotId: null,
        routeId: null,
      };
    }
  }
}

export const parcelTimeline = defineProjection({
  name: 'parcel_timeline',
  version: 1,
  policy: 'halt',
  tables: [parcelTimelineTable, timelineDepots, timelineDrivers, timelineStops],
  logNumbering: { parcel_timeline: { positions: ['position'] } },
  handles: [
    'DepotRegistered',
    'DriverRegistered',
    'ParcelRegistered',
    'ParcelScanned',
    'ParcelAddedToRoute',
    'ParcelOutForDelivery',
    'DeliveryAttempted',
    'ExceptionReported',
  ],
  readsMetadata: true,
  prepare(db) {
    const putDepot = db.prepare(
      'INSERT INTO _depots (depot_id, name) VALUES (?, ?) ON CONFLICT (depot_id) DO UPDATE SET name = excluded.name',
    );
    const putDriver = db.prepare(
      'INSERT INTO _drivers (driver_id, name) VALUES (?, ?) ON CONFLICT (driver_id) DO UPDATE SET name = excluded.name',
    );
    const putStop = db.prepare(
      'INSERT INTO _stops (route_id, parcel_id, stop) VALUES (?, ?, ?) ON CONFLICT (route_id, parcel_id) DO UPDATE SET stop = excluded.stop',
    );
    const names = db.prepare(
      `SELECT (SELECT name FROM _depots WHERE depot_id = ?) AS depot, (SELECT name FROM _depots WHERE depot_id = ?) AS otherDepot,
         (SELECT name FROM _drivers WHERE driver_id = ?) AS driver, (SELECT stop FROM _stops WHERE route_id = ? AND parcel_id = ?) AS stop`,
    );
    const insert = insertInto(db, parcelTimelineTable);

    function append(event: TimelineEvent): void {
      const described = describeEvent(event);
      const l = described.lookup;
      const found = names.get(
        l.depotId ?? null,
        l.otherDepotId ?? null,
        l.driverId ?? null,
        l.routeId ?? null,
        l.parcelId ?? null,
      ) as Names;
      const p = event.payload;
      const { depotId, routeId } = described;
      insert.run({
        parcelId: p.parcelId,
        position: event.position,
        eventId: event.eventId,
        type: event.type,
        at: p.at,
        summary: described.summary(found),
        depotId,
        routeId,
        actor: event.metadata.actor,
      });
      if (event.type === 'ParcelAddedToRoute') putStop.run(event.payload.routeId, event.payload.parcelId, event.payload.stop);
    }

    return (event) => {
      switch (event.type) {
        case 'DepotRegistered':
          return void putDepot.run(event.payload.depotId, event.payload.name);
        case 'DriverRegistered':
          return void putDriver.run(event.payload.driverId, event.payload.name);
        case 'ParcelRegistered':
        case 'ParcelScanned':
        case 'ParcelAddedToRoute':
        case 'ParcelOutForDelivery':
        case 'DeliveryAttempted':
        case 'ExceptionReported':
          return append(event);
      }
    };
  },
});

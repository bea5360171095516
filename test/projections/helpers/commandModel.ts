// A small model of the logistics domain for property tests: arbitraries of command *intents*
// turned into concrete commands against the log's current state. "Smart" intents pick ids the
// state accepts (most commands are valid); the others use raw ids and are often rejected by the
// domain, which appends nothing.
import fc from 'fast-check';
import type { CommandRequest } from '../../../db/contract/index.ts';
import { createDecisionView, type DecisionView, type LoadedStream } from '../../../db/domain/view.ts';
import type { CommandHandler } from '../../../db/write/commandHandler.ts';

const DEPOTS = [
  { id: 'd1', region: 'north' },
  { id: 'd2', region: 'north' },
  { id: 'd3', region: 'south' },
  { id: 'd4', region: 'east' },
] as const;
const DRIVERS = ['v1', 'v2', 'v3'] as const;
const PARCELS = Array.from({ length: 10 }, (_, i) => `p${i + 1}`);
const ROUTES = Array.from({ length: 8 }, (_, i) => `r${i + 1}`);
const REGIONS = ['north', 'south', 'east'] as const;
const CONDITIONS = ['clear', 'rain', 'snow', 'storm', 'heat'] as const;
const EXCEPTIONS = ['damaged', 'damaged', 'address_problem', 'address_problem', 'lost'] as const;
const AT_DEPOT = new Set(['registered', 'at_depot', 'attempt_failed']);

const kinds = ['depot', 'driver', 'parcel', 'scan', 'plan', 'start', 'deliver', 'exception', 'weather'] as const;
export interface Intent {
  kind: (typeof kinds)[number];
  a: number;
  b: number;
  c: number;
  flag: boolean;
  smart: boolean;
}

const weights: Record<Intent['kind'], number> = { depot: 1, driver: 1, parcel: 4, scan: 6, plan: 3, start: 3, deliver: 5, exception: 1, weather: 2 };

export const intentArbitrary: fc.Arbitrary<Intent> = fc.record({
  kind: fc.oneof(...kinds.map((kind) => ({ weight: weights[kind], arbitrary: fc.constant(kind) }))),
  a: fc.nat({ max: 99 }),
  b: fc.nat({ max: 99 }),
  c: fc.nat({ max: 99 }),
  flag: fc.boolean(),
  smart: fc.integer({ min: 0, max: 5 }).map((n) => n > 0),
});

/** Registers three depots and two drivers, so generated histories get going at once. */
export const setupCommands: CommandRequest[] = [
  ...DEPOTS.slice(0, 3).map((d) => ({ type: 'RegisterDepot' as const, payload: { depotId: d.id, name: `Depot ${d.id}`, region: d.region } })),
  { type: 'RegisterDriver', payload: { driverId: 'v1', name: 'Val One', homeDepotId: 'd1' } },
  { type: 'RegisterDriver', payload: { driverId: 'v2', name: 'Vic Two', homeDepotId: 'd3' } },
];

export function viewOf(handler: CommandHandler, now: string): DecisionView {
  return createDecisionView({ now, readStream: (id) => handler.log.readStream(id) as unknown as LoadedStream, reservationOwner: (kind, key) => handler.log.reservationOwner(kind, key) });
}

const pick = <T>(items: readonly T[], n: number): T | undefined => (items.length === 0 ? undefined : items[n % items.length]);

/** Turns an intent into a concrete command for the current state. */
export function toCommand(intent: Intent, view: DecisionView): CommandRequest {
  const { a, b, c, flag, smart } = intent;
  const parcels = PARCELS.filter((id) => view.parcel(id).exists);
  const withStatus = (...statuses: string[]) => parcels.filter((id) => statuses.includes(view.parcel(id).status ?? ''));
  switch (intent.kind) {
    case 'depot': {
      const depot = pick(DEPOTS, a)!;
      return { type: 'RegisterDepot', payload: { depotId: depot.id, name: `Depot ${depot.id}`, region: depot.region } };
    }
    case 'driver':
      return { type: 'RegisterDriver', payload: { driverId: pick(DRIVERS, a)!, name: 'Dee River', homeDepotId: pick(DEPOTS, b)!.id } };
    case 'parcel': {
      const fresh = PARCELS.findIndex((id) => !view.parcel(id).exists);
      const n = smart && fresh >= 0 ? fresh : a % PARCELS.length;
      return {
        type: 'RegisterParcel',
        payload: {
          parcelId: PARCELS[n]!,
          trackingCode: `WBP${String(smart ? n : b % 12).padStart(5, '0')}`,
          recipient: { name: `Recipient ${n}`, street: `${c + 1} High St`, city: 'Leeds', postcode: 'LS1 4AP' },
          originDepotId: pick(DEPOTS.slice(0, 3), b)!.id,
          destinationDepotId: pick(DEPOTS.slice(0, 3), c)!.id,
          weightKg: (c + 1) / 10,
          ...(flag ? { promisedBy: '2026-04-01T12:00:00.000Z' } : {}),
        },
      };
    }
    case 'scan': {
      const parcelId = (smart && pick(withStatus('registered', 'at_depot', 'attempt_failed', 'in_transit'), a)) || pick(PARCELS, a)!;
      const parcel = view.parcel(parcelId);
      const departing = smart ? parcel.status !== 'in_transit' : flag;
      const depotId = smart && departing && parcel.currentDepotId ? parcel.currentDepotId : pick(DEPOTS, b)!.id;
      return { type: 'RecordScan', payload: { parcelId, depotId, kind: departing ? 'departed' : 'arrived' } };
    }
    case 'plan': {
      const ready = (depotId: string) =>
        parcels.filter((id) => {
          const p = view.parcel(id);
          return p.routeId === null && p.currentDepotId === depotId && AT_DEPOT.has(p.status ?? '');
        });
      const depots = DEPOTS.filter((d) => ready(d.id).length > 0);
      const depotId = (smart && pick(depots, b)?.id) || pick(DEPOTS, b)!.id;
      const routeId = (smart && ROUTES.find((id) => !view.route(id).exists)) || pick(ROUTES, a)!;
      const driverId = (smart && pick(DRIVERS.filter((id) => view.driver(id).exists), a)) || pick(DRIVERS, a)!;
      const stops = smart ? ready(depotId).slice(0, 1 + (c % 3)) : [];
      return { type: 'PlanRoute', payload: { routeId, driverId, depotId, date: '2026-03-10', parcelIds: stops.length > 0 ? stops : [pick(PARCELS, c)!] } };
    }
    case 'start': {
      const planned = ROUTES.filter((id) => view.route(id).exists && !view.route(id).started && !view.route(id).completed);
      return { type: 'StartRoute', payload: { routeId: (smart && pick(planned, a)) || pick(ROUTES, a)! } };
    }
    case 'deliver': {
      const parcelId = (smart && pick(withStatus('out_for_delivery'), a)) || pick(PARCELS, a)!;
      const routeId = (smart && view.parcel(parcelId).routeId) || pick(ROUTES, b)!;
      const delivered = c % 4 !== 0;
      return { type: 'RecordDeliveryAttempt', payload: { parcelId, routeId, outcome: delivered ? 'delivered' : 'failed', ...(delivered ? {} : { reason: 'nobody home' }) } };
    }
    case 'exception': {
      const open = parcels.filter((id) => !['delivered', 'lost'].includes(view.parcel(id).status ?? ''));
      const kind = pick(EXCEPTIONS, b)!;
      return { type: 'ReportException', payload: { parcelId: (smart && pick(open, a)) || pick(PARCELS, a)!, kind, ...(flag ? { note: `${kind} noted` } : {}) } };
    }
    case 'weather':
      return { type: 'RecordWeather', payload: { region: pick(REGIONS, a)!, condition: pick(CONDITIONS, b)! } };
  }
}

import type { CommandRequest, WeatherCondition } from '../contract/index.ts';
import { createUuidV7Generator } from '../log/uuidv7.ts';
import { createRandom, type Random } from './random.ts';
import { cityOf, damageNotes, descriptions, failureReasons, firstNames, lastNames, regions, streets, weather } from './names.ts';

/** One command of the demo history, when it happens, and who does it (a dispatcher, a driver, a depot operator). */
export interface SeedAction {
  at: number;
  request: CommandRequest;
  actor: string;
}

/**
 * A realistic, deterministic history as commands, for the core to run through its one command
 * path: depots in six regions, drivers, parcels moving through scans, routes, failed attempts,
 * exceptions and weather. The same seed always gives the same commands, times and event ids.
 */
export interface SeedPlan {
  /** Day after day of actions, each day in time order; as long as the caller keeps asking. */
  days: Iterable<SeedAction[]>;
  /** The event ids the seeded history gets: time-ordered by `clock` (ms), random from the same seed. */
  eventIds(clock: () => number): () => string;
}

interface Depot {
  id: string;
  region: string;
  drivers: string[];
}

const DAY = 86_400_000;
const HOUR = 3_600_000;
const START = Date.UTC(2026, 0, 5);
const ROUTE_CAPACITY = 30;

export function planSeed(options: { events: number; seed: number }): SeedPlan {
  const random = createRandom(options.seed);
  return { days: seedDays(random, options), eventIds: (clock) => createUuidV7Generator(clock, random.fill) };
}

function* seedDays(random: Random, options: { events: number; seed: number }): Generator<SeedAction[]> {
  const tag = options.seed.toString(36);
  const dailyParcels = Math.max(10, Math.min(1000, Math.round(options.events / 7 / 150)));
  const depots: Depot[] = [];
  const setup: SeedAction[] = [];
  for (const { region, depots: names } of regions) {
    for (const name of names) {
      const slug = name.split(' ')[0]!.toLowerCase();
      const depot: Depot = { id: `d${tag}-${slug}`, region, drivers: [] };
      setup.push({ at: START, request: { type: 'RegisterDepot', payload: { depotId: depot.id, name, region } }, actor: 'seed' });
      for (let k = 1; k <= 4; k++) {
        const driverId = `drv${tag}-${slug}-${k}`;
        depot.drivers.push(driverId);
        setup.push({ at: START + 1, request: { type: 'RegisterDriver', payload: { driverId, name: personName(random), homeDepotId: depot.id } }, actor: 'seed' });
      }
      depots.push(depot);
    }
  }
  yield setup;

  let parcelCount = 0;
  let inTransit: { id: string; dest: number }[] = [];
  const waiting: string[][] = depots.map(() => []);
  for (let day = 0; ; day++) {
    const base = START + day * DAY;
    const actions: SeedAction[] = [];
    const conditions = new Map<string, WeatherCondition>();
    regions.forEach(({ region }, i) => {
      const condition = random.pick(weather);
      conditions.set(region, condition);
      actions.push({ at: base + 5 * HOUR + i, request: { type: 'RecordWeather', payload: { region, condition } }, actor: 'weather-feed' });
    });
    inTransit.forEach(({ id, dest }, i) => {
      actions.push({ at: base + 5.5 * HOUR + i, ...scan(id, depots[dest]!, 'arrived') });
      waiting[dest]!.push(id);
    });
    inTransit = [];

    depots.forEach((depot, d) => {
      const bad = ['snow', 'storm'].includes(conditions.get(depot.region)!);
      const queue = waiting[d]!;
      const take = Math.min(queue.length, depot.drivers.length * ROUTE_CAPACITY, bad ? Math.ceil(queue.length * 0.6) : queue.length);
      const loaded = queue.splice(0, take);
      for (let r = 0; loaded.length > 0 && r < depot.drivers.length; r++) {
        const size = Math.ceil(loaded.length / (depot.drivers.length - r));
        const stops = loaded.splice(0, size);
        const routeId = `r${tag}-${day}-${d}-${r}`;
        const driverId = depot.drivers[r]!;
        const onRoute = { correlationId: routeId };
        const date = new Date(base).toISOString().slice(0, 10);
        actions.push({ at: base + 7 * HOUR + r, request: { type: 'PlanRoute', payload: { routeId, driverId, depotId: depot.id, date, parcelIds: stops }, ...onRoute }, actor: `dispatch-${depot.id}` });
        actions.push({ at: base + 7.5 * HOUR + r, request: { type: 'StartRoute', payload: { routeId }, ...onRoute }, actor: driverId });
        stops.forEach((parcelId, s) => {
          const at = base + 8 * HOUR + Math.round(((s + random.next()) / stops.length) * 9 * HOUR);
          const roll = random.next();
          if (roll < 0.003) {
            actions.push({ at, request: { type: 'ReportException', payload: { parcelId, kind: 'lost', note: 'Not found in van at stop' }, ...onRoute }, actor: driverId });
            return;
          }
          if (roll < 0.018) actions.push({ at: at - 1, request: { type: 'ReportException', payload: { parcelId, kind: 'damaged', note: random.pick(damageNotes) }, ...onRoute }, actor: driverId });
          const failed = random.chance(bad ? 0.2 : 0.08);
          const payload = failed
            ? { parcelId, routeId, outcome: 'failed' as const, reason: random.pick(failureReasons) }
            : { parcelId, routeId, outcome: 'delivered' as const };
          actions.push({ at, request: { type: 'RecordDeliveryAttempt', payload, ...onRoute }, actor: driverId });
          if (failed) waiting[d]!.push(parcelId);
        });
      }
      if (queue.length > 0 && random.chance(0.3)) {
        actions.push({ at: base + 6 * HOUR + d, request: { type: 'ReportException', payload: { parcelId: queue[0]!, kind: 'address_problem', note: 'Postcode does not match street' } }, actor: `op-${depot.id}` });
      }
    });

    for (let n = 0; n < dailyParcels; n++) {
      parcelCount++;
      const origin = random.int(0, depots.length - 1);
      let dest = random.int(0, depots.length - 2);
      if (dest >= origin) dest++;
      const parcelId = `p${tag}-${parcelCount.toString(36)}`;
      const at = base + 9 * HOUR + Math.round((n / dailyParcels) * 8 * HOUR);
      const trackingCode = `WB${tag.toUpperCase()}${parcelCount.toString(36).toUpperCase().padStart(8, '0')}`;
      actions.push({ at, request: registerParcel(random, parcelId, trackingCode, depots[origin]!, depots[dest]!, at), actor: `op-${depots[origin]!.id}` });
      actions.push({ at: base + 17.5 * HOUR + n, ...scan(parcelId, depots[origin]!, 'departed') });
      inTransit.push({ id: parcelId, dest });
    }
    actions.sort((a, b) => a.at - b.at);
    yield actions;
  }
}

function scan(parcelId: string, depot: Depot, kind: 'arrived' | 'departed'): Omit<SeedAction, 'at'> {
  return { request: { type: 'RecordScan', payload: { parcelId, depotId: depot.id, kind } }, actor: `op-${depot.id}` };
}

function personName(random: Random): string {
  return `${random.pick(firstNames)} ${random.pick(lastNames)}`;
}

function registerParcel(random: Random, parcelId: string, trackingCode: string, origin: Depot, dest: Depot, at: number): CommandRequest {
  const letters = 'ABCDEFGHJKLMNPRSTUWXYZ';
  const postcode = `${random.pick([...letters])}${random.pick([...letters])}${random.int(1, 20)} ${random.int(1, 9)}${random.pick([...letters])}${random.pick([...letters])}`;
  return {
    type: 'RegisterParcel',
    payload: {
      parcelId,
      trackingCode,
      recipient: {
        name: personName(random),
        ...(random.chance(0.5) ? { phone: `+44 7${random.int(100, 999)} ${random.int(100000, 999999)}` } : {}),
        street: `${random.int(1, 220)} ${random.pick(streets)}`,
        city: random.pick(cityOf[dest.region]!),
        postcode,
      },
      originDepotId: origin.id,
      destinationDepotId: dest.id,
      weightKg: Math.round(random.next() * 250 + 2) / 10,
      ...(random.chance(0.7) ? { description: random.pick(descriptions) } : {}),
      ...(random.chance(0.4) ? { promisedBy: new Date(at + 3 * DAY).toISOString() } : {}),
    },
  };
}

import type { CommandRequest, WeatherCondition } from '../contract.ts';
import { WaybillError } from '../errors.ts';
import { createUuidV7Generator } from '../log/uuidv7.ts';
import type { Waybill } from '../core/waybill.ts';
import { createRandom, type Random } from './random.ts';
import { cityOf, damageNotes, descriptions, failureReasons, firstNames, lastNames, regions, streets, weather } from './names.ts';

export interface SeedOptions {
  events: number;
  seed: number;
  onProgress?: (appended: number, target: number) => void;
}

interface Depot {
  id: string;
  region: string;
  drivers: string[];
}
interface Action {
  at: number;
  request: CommandRequest;
}

const DAY = 86_400_000;
const HOUR = 3_600_000;
const START = Date.UTC(2026, 0, 5);
const CHUNK = 500;
const ROUTE_CAPACITY = 30;

/**
 * A realistic, deterministic history appended through the normal command path: depots in six
 * regions, drivers, parcels moving through scans, routes, failed attempts, exceptions and weather.
 * The same seed always gives the same commands, times and event ids.
 */
export async function seedHistory(waybill: Waybill, options: SeedOptions): Promise<{ events: number; head: number; days: number }> {
  const random = createRandom(options.seed);
  const clock = { ms: START };
  const handler = waybill.createHandler({ now: () => new Date(clock.ms).toISOString(), newId: createUuidV7Generator(() => clock.ms, random.fill) });
  const tag = options.seed.toString(36);
  const dailyParcels = Math.max(10, Math.min(1000, Math.round(options.events / 7 / 150)));
  let appended = 0;

  const run = async (actions: Action[]) => {
    actions.sort((a, b) => a.at - b.at);
    for (let i = 0; i < actions.length && appended < options.events; i += CHUNK) {
      const chunk = actions.slice(i, i + CHUNK);
      let index = 0;
      const results = handler.handleAll(
        chunk.map((action) => {
          clock.ms = action.at + index++;
          return action.request;
        }),
      );
      const failed = results.find((r) => !r.ok);
      if (failed && !failed.ok) {
        throw new WaybillError(failed.error.code, `Seeding stopped: ${failed.error.message}${failed.error.rule === 'depot_exists' ? ' (this folder was already seeded with this seed; use another --seed)' : ''}`);
      }
      const last = results[results.length - 1];
      const count = results.reduce((n, r) => n + (r.ok ? r.events.length : 0), 0);
      appended += count;
      if (last?.ok) waybill.afterAppend(last.position, count);
      options.onProgress?.(appended, options.events);
      await new Promise((resolve) => setImmediate(resolve));
    }
  };

  const depots: Depot[] = [];
  const setup: Action[] = [];
  for (const { region, depots: names } of regions) {
    for (const name of names) {
      const slug = name.split(' ')[0]!.toLowerCase();
      const depot: Depot = { id: `d${tag}-${slug}`, region, drivers: [] };
      setup.push({ at: START, request: { type: 'RegisterDepot', payload: { depotId: depot.id, name, region }, actor: 'seed' } });
      for (let k = 1; k <= 4; k++) {
        const driverId = `drv${tag}-${slug}-${k}`;
        depot.drivers.push(driverId);
        setup.push({ at: START + 1, request: { type: 'RegisterDriver', payload: { driverId, name: personName(random), homeDepotId: depot.id }, actor: 'seed' } });
      }
      depots.push(depot);
    }
  }
  await run(setup);

  let parcelCount = 0;
  let inTransit: { id: string; dest: number }[] = [];
  const waiting: string[][] = depots.map(() => []);
  let day = 0;
  while (appended < options.events) {
    const base = START + day * DAY;
    const actions: Action[] = [];
    const conditions = new Map<string, WeatherCondition>();
    regions.forEach(({ region }, i) => {
      const condition = random.pick(weather);
      conditions.set(region, condition);
      actions.push({ at: base + 5 * HOUR + i, request: { type: 'RecordWeather', payload: { region, condition }, actor: 'weather-feed' } });
    });
    inTransit.forEach(({ id, dest }, i) => {
      actions.push({ at: base + 5.5 * HOUR + i, request: scan(id, depots[dest]!, 'arrived') });
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
        const meta = { correlationId: routeId, actor: driverId, deviceId: `van-${d}-${r}` };
        const date = new Date(base).toISOString().slice(0, 10);
        actions.push({ at: base + 7 * HOUR + r, request: { type: 'PlanRoute', payload: { routeId, driverId, depotId: depot.id, date, parcelIds: stops }, ...meta, actor: `dispatch-${depot.id}` } });
        actions.push({ at: base + 7.5 * HOUR + r, request: { type: 'StartRoute', payload: { routeId }, ...meta } });
        stops.forEach((parcelId, s) => {
          const at = base + 8 * HOUR + Math.round(((s + random.next()) / stops.length) * 9 * HOUR);
          const roll = random.next();
          if (roll < 0.003) {
            actions.push({ at, request: { type: 'ReportException', payload: { parcelId, kind: 'lost', note: 'Not found in van at stop' }, ...meta } });
            return;
          }
          if (roll < 0.018) actions.push({ at: at - 1, request: { type: 'ReportException', payload: { parcelId, kind: 'damaged', note: random.pick(damageNotes) }, ...meta } });
          const failed = random.chance(bad ? 0.2 : 0.08);
          const payload = failed
            ? { parcelId, routeId, outcome: 'failed' as const, reason: random.pick(failureReasons) }
            : { parcelId, routeId, outcome: 'delivered' as const };
          actions.push({ at, request: { type: 'RecordDeliveryAttempt', payload, ...meta } });
          if (failed) waiting[d]!.push(parcelId);
        });
      }
      if (queue.length > 0 && random.chance(0.3)) {
        actions.push({ at: base + 6 * HOUR + d, request: { type: 'ReportException', payload: { parcelId: queue[0]!, kind: 'address_problem', note: 'Postcode does not match street' }, actor: `op-${depot.id}` } });
      }
    });

    for (let n = 0; n < dailyParcels; n++) {
      parcelCount++;
      const origin = random.int(0, depots.length - 1);
      let dest = random.int(0, depots.length - 2);
      if (dest >= origin) dest++;
      const parcelId = `p${tag}-${parcelCount.toString(36)}`;
      const at = base + 9 * HOUR + Math.round((n / dailyParcels) * 8 * HOUR);
      actions.push({ at, request: registerParcel(random, parcelId, `WB${tag.toUpperCase()}${parcelCount.toString(36).toUpperCase().padStart(8, '0')}`, depots[origin]!, depots[dest]!, at) });
      actions.push({ at: base + 17.5 * HOUR + n, request: scan(parcelId, depots[origin]!, 'departed') });
      inTransit.push({ id: parcelId, dest });
    }
    await run(actions);
    day++;
  }
  return { events: appended, head: waybill.head(), days: day };
}

function scan(parcelId: string, depot: Depot, kind: 'arrived' | 'departed'): CommandRequest {
  return { type: 'RecordScan', payload: { parcelId, depotId: depot.id, kind }, actor: `op-${depot.id}`, deviceId: `scanner-${depot.id}` };
}

function personName(random: Random): string {
  return `${random.pick(firstNames)} ${random.pick(lastNames)}`;
}

function registerParcel(random: Random, parcelId: string, trackingCode: string, origin: Depot, dest: Depot, at: number): CommandRequest {
  const letters = 'ABCDEFGHJKLMNPRSTUWXYZ';
  const postcode = `${random.pick([...letters])}${random.pick([...letters])}${random.int(1, 20)} ${random.int(1, 9)}${random.pick([...letters])}${random.pick([...letters])}`;
  return {
    type: 'RegisterParcel',
    actor: `op-${origin.id}`,
    deviceId: `counter-${origin.id}`,
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

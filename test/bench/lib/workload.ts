// A deterministic stream of valid commands that continues a seeded history with the seed's mix:
// parcels registered, scanned out and in, planned on a route, started, delivered (some fail,
// a few are damaged), and the weather. Both sides of every comparison replay the same stream.
import Database from 'better-sqlite3';
import type { CommandRequest, WeatherCondition } from '../../../db/contract/index.ts';
import { weatherConditions } from '../../../db/contract/index.ts';
import { createRandom, type Random } from '../../../db/seed/random.ts';

export interface World {
  depots: { id: string; region: string }[];
  driversByDepot: Map<string, string[]>;
}

/** Depots and drivers of a seeded log. */
export function loadWorld(logFile: string): World {
  const db = new Database(logFile, { readonly: true, fileMustExist: true });
  try {
    const depots = (db.prepare("SELECT payload FROM events WHERE type = 'DepotRegistered' ORDER BY position").pluck().all() as string[]).map((p) => {
      const payload = JSON.parse(p) as { depotId: string; region: string };
      return { id: payload.depotId, region: payload.region };
    });
    const driversByDepot = new Map<string, string[]>();
    for (const p of db.prepare("SELECT payload FROM events WHERE type = 'DriverRegistered' ORDER BY position").pluck().all() as string[]) {
      const payload = JSON.parse(p) as { driverId: string; homeDepotId: string };
      const list = driversByDepot.get(payload.homeDepotId) ?? [];
      list.push(payload.driverId);
      driversByDepot.set(payload.homeDepotId, list);
    }
    return { depots, driversByDepot };
  } finally {
    db.close();
  }
}

const STREETS = ['Mill Lane', 'Station Road', 'High Street', 'Church Walk', 'Quay Street', 'Orchard Close'];
const NAMES = ['Ada Lovelace', 'Alan Turing', 'Grace Hopper', 'Edsger Dijkstra', 'Barbara Liskov', 'Ken Thompson', 'Radia Perlman'];
const CITIES = ['Leeds', 'Bristol', 'York', 'Bath', 'Derby', 'Exeter'];

export interface WorkloadOptions {
  /** Makes every id unique to this stream; letters and digits only. */
  tag: string;
  seed: number;
  /** Parcels per route (the seed's routes at 1M events carry ~20). */
  parcelsPerWave?: number;
}

/**
 * Commands in waves: K registrations at one depot bound for another, K departures, K arrivals,
 * one route plan and start, K delivery attempts (8 % fail, 1.5 % damaged first), one weather report.
 * About 1.7 events per command, like the seeded history.
 */
export class CommandStream {
  private readonly random: Random;
  private readonly queue: CommandRequest[] = [];
  private wave = 0;
  private parcels = 0;
  private readonly k: number;

  constructor(
    private readonly world: World,
    private readonly options: WorkloadOptions,
  ) {
    this.random = createRandom(options.seed);
    this.k = options.parcelsPerWave ?? 20;
  }

  next(): CommandRequest {
    if (this.queue.length === 0) this.fillWave();
    return this.queue.shift()!;
  }

  take(count: number): CommandRequest[] {
    const out: CommandRequest[] = [];
    for (let i = 0; i < count; i++) out.push(this.next());
    return out;
  }

  private fillWave(): void {
    const { depots, driversByDepot } = this.world;
    const tag = this.options.tag;
    const w = this.wave++;
    const dest = depots[w % depots.length]!;
    let origin = depots[this.random.int(0, depots.length - 1)]!;
    if (origin.id === dest.id) origin = depots[(w + 1) % depots.length]!;
    const drivers = driversByDepot.get(dest.id) ?? [];
    const driverId = drivers[w % Math.max(1, drivers.length)]!;
    const ids: string[] = [];
    const out = this.queue;
    for (let i = 0; i < this.k; i++) {
      const n = this.parcels++;
      const parcelId = `pb${tag}-${n.toString(36)}`;
      ids.push(parcelId);
      const code = `B${tag.toUpperCase()}${n.toString(36).toUpperCase().padStart(7, '0')}`;
      out.push({
        type: 'RegisterParcel',
        payload: {
          parcelId,
          trackingCode: code,
          recipient: {
            name: this.random.pick(NAMES),
            street: `${this.random.int(1, 200)} ${this.random.pick(STREETS)}`,
            city: this.random.pick(CITIES),
            postcode: `LS${this.random.int(1, 20)} ${this.random.int(1, 9)}AB`,
          },
          originDepotId: origin.id,
          destinationDepotId: dest.id,
          weightKg: Math.round(this.random.next() * 250 + 2) / 10,
          ...(this.random.chance(0.7) ? { description: 'Books and a kettle' } : {}),
        },
      });
    }
    for (const parcelId of ids) out.push({ type: 'RecordScan', payload: { parcelId, depotId: origin.id, kind: 'departed' } });
    for (const parcelId of ids) out.push({ type: 'RecordScan', payload: { parcelId, depotId: dest.id, kind: 'arrived' } });
    const routeId = `rb${tag}-${w.toString(36)}`;
    // Who records each command is the session's (the benchmark's), not the request's: only the correlation is the workload's.
    const meta = { correlationId: routeId };
    out.push({ type: 'PlanRoute', payload: { routeId, driverId, depotId: dest.id, date: '2026-11-27', parcelIds: ids }, ...meta });
    out.push({ type: 'StartRoute', payload: { routeId }, ...meta });
    for (const parcelId of ids) {
      if (this.random.chance(0.015)) out.push({ type: 'ReportException', payload: { parcelId, kind: 'damaged', note: 'Corner crushed' }, ...meta });
      out.push(
        this.random.chance(0.08)
          ? { type: 'RecordDeliveryAttempt', payload: { parcelId, routeId, outcome: 'failed', reason: 'Nobody home' }, ...meta }
          : { type: 'RecordDeliveryAttempt', payload: { parcelId, routeId, outcome: 'delivered' }, ...meta },
      );
    }
    const condition: WeatherCondition = this.random.pick(weatherConditions);
    out.push({ type: 'RecordWeather', payload: { region: dest.region, condition } });
  }
}

import type Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readModelNames } from '../contract/index.ts';
import type { StoredEvent } from '../domain/events.ts';
import { createSchema } from '../readmodel/openReadModel.ts';
import { asBatchedHandler } from '../readmodel/projection.ts';
import { estimateEta, explainEta, type EtaInput } from './etaModel.ts';
import { projectionByName, projections } from './index.ts';
import { parcelSummary } from './parcelSummary/projection.ts';
import { openSampleHistory, REGISTERED_AT, type SampleHistory } from './testing/sampleHistory.ts';

let history: SampleHistory;
beforeAll(() => {
  history = openSampleHistory();
});
afterAll(() => history.close());

const rows = (db: Database.Database, sql: string, ...args: unknown[]) => db.prepare(sql).all(...args);
const at = (stream: string, type: string, nth = 0) => history.positions(stream, type)[nth]!;

describe('parcel_summary', () => {
  it('keeps one flat row per parcel with everything the parcel screen shows', () => {
    const [row] = rows(history.readers.parcel_summary, "SELECT * FROM parcel_summary WHERE parcel_id = 'P06'");
    expect(row).toEqual({
      parcel_id: 'P06',
      seq: at('parcel-P06', 'ParcelRegistered'),
      tracking_code: 'WB100006',
      recipient_name: 'Barbara Liskov',
      recipient_phone: null,
      street: '5 Mill Hill',
      city: 'Leeds',
      postcode: 'LS1 5DQ',
      description: null,
      weight_kg: 1.6,
      origin_depot_id: 'north-hub',
      destination_depot_id: 'east',
      destination_region: 'north',
      status: 'planned',
      current_depot_id: 'east',
      route_id: 'R-2',
      driver_id: 'sam',
      attempts: 1,
      exceptions: 0,
      last_exception: null,
      promised_by: null,
      registered_at: REGISTERED_AT,
      delivered_at: null,
      updated_at: '2026-03-03T19:00:00.000Z',
      set_by: expect.any(String),
      last_position: at('parcel-P06', 'ParcelAddedToRoute', 1),
    });
  });

  it('records for every field the position of the event that last set it', () => {
    const setBy = history.readers.parcel_summary.prepare("SELECT set_by FROM parcel_summary WHERE parcel_id = 'P06'").pluck().get() as string;
    const registered = at('parcel-P06', 'ParcelRegistered');
    const replanned = at('parcel-P06', 'ParcelAddedToRoute', 1);
    expect(JSON.parse(setBy)).toMatchObject({
      trackingCode: registered,
      recipientName: registered,
      deliveredAt: registered,
      currentDepotId: at('parcel-P06', 'ParcelScanned', 1),
      attempts: at('parcel-P06', 'DeliveryAttempted'),
      status: replanned,
      routeId: replanned,
      updatedAt: replanned,
    });
    // The ETA is estimated when asked (from the region history below), so no event "set" it.
    expect(JSON.parse(setBy)).not.toHaveProperty('eta');
  });

  it('counts parcels per destination depot and status in step with the rows, so totals never scan', () => {
    const counts = rows(history.readers.parcel_summary, 'SELECT destination_depot_id, status, n FROM parcel_counts WHERE n > 0 ORDER BY 1, 2');
    expect(counts).toEqual([
      { destination_depot_id: 'east', status: 'delivered', n: 5 },
      { destination_depot_id: 'east', status: 'lost', n: 1 },
      { destination_depot_id: 'east', status: 'planned', n: 2 },
      { destination_depot_id: 'south', status: 'delivered', n: 1 },
      { destination_depot_id: 'south', status: 'registered', n: 1 },
    ]);
    const grouped = rows(
      history.readers.parcel_summary,
      'SELECT destination_depot_id, status, count(*) AS n FROM parcel_summary GROUP BY 1, 2 ORDER BY 1, 2',
    );
    expect(grouped).toEqual(counts);
  });

  it("keeps each region's delivery durations by the weather at delivery, which queries estimate deliveries from", () => {
    expect(rows(history.readers.parcel_summary, 'SELECT * FROM _eta_history ORDER BY 1, 2')).toEqual([
      { region: 'north', condition: 'rain', deliveries: 5, total_hours: 140 },
      { region: 'south', condition: 'snow', deliveries: 1, total_hours: 48 },
    ]);
    expect(rows(history.readers.parcel_summary, 'SELECT * FROM _region_weather ORDER BY 1')).toEqual([
      { region: 'north', condition: 'rain' },
      { region: 'south', condition: 'snow' },
    ]);
  });

  it('indexes tracking code, recipient, address and description for search, keyed by the registration position', () => {
    const match = (q: string) => history.readers.parcel_summary.prepare('SELECT rowid FROM parcel_search WHERE parcel_search MATCH ? ORDER BY rowid').pluck().all(q);
    expect(match('"lovelace"')).toEqual([at('parcel-P01', 'ParcelRegistered')]);
    expect(match('"WB100003"')).toEqual([at('parcel-P03', 'ParcelRegistered')]);
    expect(match('"books"')).toEqual([at('parcel-P01', 'ParcelRegistered')]);
    expect(match('"BS1"*')).toEqual([at('parcel-P08', 'ParcelRegistered'), at('parcel-P10', 'ParcelRegistered')]);
  });

  it('refuses a parcel event whose registration it never saw, so the runtime parks it', async () => {
    const { default: SQLite } = await import('better-sqlite3');
    const db = new SQLite(':memory:');
    createSchema(db, parcelSummary, { withIndexes: true });
    const { apply } = asBatchedHandler(parcelSummary.prepare(db));
    const orphan = {
      position: 9,
      eventId: 'e9',
      streamId: 'parcel-P99',
      version: 2,
      type: 'ParcelScanned',
      schemaVersion: 1,
      payload: { parcelId: 'P99', depotId: 'east', kind: 'arrived', at: REGISTERED_AT },
      metadata: { commandId: 'c', correlationId: 'c', causationId: 'c', actor: null, deviceId: null, recordedAt: REGISTERED_AT },
      recordedAt: REGISTERED_AT,
    } satisfies StoredEvent;
    expect(() => apply(orphan)).toThrow(/no row for parcel P99/);
    expect(parcelSummary.policy).toBe('park');
    db.close();
  });
});

describe('parcel_timeline', () => {
  it("tells a parcel's story in sentences a support person understands", () => {
    const lines = history.readers.parcel_timeline.prepare("SELECT summary FROM parcel_timeline WHERE parcel_id = 'P06' ORDER BY position").pluck().all();
    expect(lines).toEqual([
      'Registered for Barbara Liskov, 5 Mill Hill, Leeds — 1.6 kg, from North Hub to East Depot',
      'Departed from North Hub',
      'Arrived at East Depot',
      'Planned on route R-1 with Sam Carter from East Depot, stop 6',
      'Out for delivery with Sam Carter (route R-1, stop 6)',
      'Delivery failed: recipient not home',
      'Planned on route R-2 with Sam Carter from East Depot, stop 1',
    ]);
    const p01 = history.readers.parcel_timeline.prepare("SELECT summary FROM parcel_timeline WHERE parcel_id = 'P01' ORDER BY position").pluck().all();
    expect(p01[0]).toBe('Registered for Ada Lovelace, 12 Mill St, Leeds — 2.4 kg, from North Hub to East Depot');
    expect(p01.at(-1)).toBe('Delivered by Sam Carter (route R-1)');
  });

  it('keeps the event, time, depot, route and actor of each line', () => {
    const p08 = rows(history.readers.parcel_timeline, "SELECT type, at, summary, depot_id, route_id, actor FROM parcel_timeline WHERE parcel_id = 'P08' ORDER BY position");
    expect(p08.slice(1, 3)).toEqual([
      { type: 'ParcelScanned', at: '2026-03-02T10:00:00.000Z', summary: 'Departed from North Hub', depot_id: 'north-hub', route_id: null, actor: 'dispatcher' },
      { type: 'ExceptionReported', at: '2026-03-02T18:00:00.000Z', summary: 'Reported damaged: box crushed', depot_id: null, route_id: null, actor: 'dispatcher' },
    ]);
    expect(p08.at(-2)).toMatchObject({ type: 'ParcelOutForDelivery', summary: 'Out for delivery with Ria Patel (route R-3, stop 1)', route_id: 'R-3' });
  });

  it('writes exactly one row per event of a parcel stream', () => {
    const timeline = history.readers.parcel_timeline.prepare('SELECT count(*) FROM parcel_timeline').pluck().get();
    const parcelEvents = history.readers.event_history.prepare("SELECT count(*) FROM history_events WHERE stream_id LIKE 'parcel-%'").pluck().get();
    expect(timeline).toBe(parcelEvents);
  });
});

describe('route_board', () => {
  it('lists each route with its driver name, state and start time', () => {
    expect(rows(history.readers.route_board, 'SELECT route_id, driver_id, driver_name, depot_id, date, state, started_at FROM routes ORDER BY planned_position')).toEqual([
      { route_id: 'R-1', driver_id: 'sam', driver_name: 'Sam Carter', depot_id: 'east', date: '2026-03-03', state: 'completed', started_at: '2026-03-03T07:00:00.000Z' },
      { route_id: 'R-2', driver_id: 'sam', driver_name: 'Sam Carter', depot_id: 'east', date: '2026-03-04', state: 'planned', started_at: null },
      { route_id: 'R-3', driver_id: 'ria', driver_name: 'Ria Patel', depot_id: 'south', date: '2026-03-04', state: 'completed', started_at: '2026-03-04T07:00:00.000Z' },
    ]);
  });

  it('closes each stop as delivered or failed with the reason, including a parcel lost before the van left', () => {
    const stops = rows(history.readers.route_board, "SELECT stop, parcel_id, tracking_code, recipient_name, state, reason, at FROM route_stops WHERE route_id IN ('R-1', 'R-2') ORDER BY route_id, stop");
    expect(stops.map((s) => Object.values(s as object).join(' | '))).toEqual([
      '1 | P01 | WB100001 | Ada Lovelace | delivered |  | 2026-03-03T08:00:00.000Z',
      '2 | P02 | WB100002 | Grace Hopper | delivered |  | 2026-03-03T10:00:00.000Z',
      '3 | P03 | WB100003 | Alan Turing | delivered |  | 2026-03-03T12:00:00.000Z',
      '4 | P04 | WB100004 | Katherine Johnson | delivered |  | 2026-03-03T14:00:00.000Z',
      '5 | P05 | WB100005 | Edsger Dijkstra | delivered |  | 2026-03-03T16:00:00.000Z',
      '6 | P06 | WB100006 | Barbara Liskov | failed | recipient not home | 2026-03-03T17:00:00.000Z',
      '1 | P06 | WB100006 | Barbara Liskov | pending |  | ',
      '2 | P07 | WB100007 | Donald Knuth | pending |  | ',
      '3 | P09 | WB100009 | Tim Berners-Lee | failed | reported lost: missing from cage | 2026-03-03T19:30:00.000Z',
    ]);
  });
});

describe('depot_board', () => {
  it('counts each parcel toward its destination depot by its current status', () => {
    expect(rows(history.readers.depot_board, 'SELECT depot_id, name, region FROM depots ORDER BY depot_id')).toEqual([
      { depot_id: 'east', name: 'East Depot', region: 'north' },
      { depot_id: 'north-hub', name: 'North Hub', region: 'north' },
      { depot_id: 'south', name: 'South Yard', region: 'south' },
    ]);
    expect(rows(history.readers.depot_board, 'SELECT depot_id, status, n FROM depot_counts WHERE n > 0 ORDER BY 1, 2')).toEqual(
      rows(history.readers.parcel_summary, 'SELECT destination_depot_id AS depot_id, status, n FROM parcel_counts WHERE n > 0 ORDER BY 1, 2'),
    );
  });
});

describe('eta_stats', () => {
  it('times each delivery from registration, by destination region and the weather there when delivered', () => {
    expect(rows(history.readers.eta_stats, 'SELECT * FROM delivery_durations ORDER BY 1, 2')).toEqual([
      { region: 'north', condition: 'rain', deliveries: 5, total_hours: 140, min_hours: 24, max_hours: 32 },
      { region: 'south', condition: 'snow', deliveries: 1, total_hours: 48, min_hours: 48, max_hours: 48 },
    ]);
  });

  it('keeps when the current weather began when the same weather is recorded again', () => {
    expect(rows(history.readers.eta_stats, 'SELECT * FROM region_weather ORDER BY 1')).toEqual([
      { region: 'north', condition: 'rain', since: '2026-03-01T07:30:00.000Z' },
      { region: 'south', condition: 'snow', since: '2026-03-03T06:00:00.000Z' },
    ]);
  });
});

describe('the delivery estimate', () => {
  const base: EtaInput = {
    status: 'at_depot',
    registeredAt: REGISTERED_AT,
    deliveredAt: null,
    region: 'north',
    condition: 'rain',
    inCondition: { deliveries: 5, totalHours: 150 },
    inRegion: { deliveries: 9, totalHours: 216 },
  };

  it("averages the region's deliveries in the current weather once there are five", () => {
    const estimate = estimateEta(base);
    expect(estimate).toEqual({ eta: '2026-03-03T14:00:00.000Z', method: 'history', scope: 'condition', samples: 5, averageHours: 30 });
    expect(explainEta(base, estimate)).toBe('Based on 5 deliveries to north in rain, which took 30 h on average after registration.');
  });

  it('falls back to every weather in the region, then to 48 hours', () => {
    const regionOnly = { ...base, inCondition: { deliveries: 4, totalHours: 80 } };
    expect(estimateEta(regionOnly)).toMatchObject({ eta: '2026-03-03T08:00:00.000Z', scope: 'region', samples: 9, averageHours: 24 });
    expect(explainEta(regionOnly, estimateEta(regionOnly))).toBe(
      'Only 4 deliveries to north in rain so far (5 needed), so this uses all 9 deliveries to north in any weather, which took 24 h on average after registration.',
    );
    const fresh = { ...base, inCondition: null, inRegion: { deliveries: 4, totalHours: 80 } };
    expect(estimateEta(fresh)).toEqual({ eta: '2026-03-04T08:00:00.000Z', method: 'default', scope: null, samples: 4, averageHours: null });
  });

  it('gives a delivered parcel its delivery time and a lost parcel no estimate', () => {
    expect(estimateEta({ ...base, status: 'delivered', deliveredAt: '2026-03-02T20:00:00.000Z' })).toMatchObject({ eta: '2026-03-02T20:00:00.000Z', method: 'delivered' });
    expect(estimateEta({ ...base, status: 'lost' }).eta).toBeNull();
  });
});

describe('projections', () => {
  it('lists every read model once, in start order, and finds each by name', () => {
    expect(projections.map((p) => p.name)).toEqual(['parcel_summary', 'parcel_timeline', 'route_board', 'depot_board', 'eta_stats', 'event_history', 'conflicts']);
    for (const name of readModelNames) expect(projectionByName(name).name).toBe(name);
    expect(projections.map((p) => [p.name, p.version, p.policy])).toContainEqual(['parcel_summary', 3, 'park']);
    expect(projections.filter((p) => p.name !== 'parcel_summary' && p.name !== 'event_history').every((p) => p.policy === 'halt')).toBe(true);
  });

  it('builds the same rows when caught up seven events at a time as in one pass', () => {
    const small = openSampleHistory(7);
    try {
      for (const name of readModelNames) expect(dump(small.readers[name]), name).toEqual(dump(history.readers[name]));
    } finally {
      small.close();
    }
  });
});

/** Every row of every table a read model owns, except the full-text segments, whose layout follows transaction boundaries. */
function dump(db: Database.Database): Record<string, string[]> {
  const tables = db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '%search%' AND name <> '_checkpoint' ORDER BY name")
    .pluck()
    .all() as string[];
  return Object.fromEntries(tables.map((t) => [t, db.prepare(`SELECT * FROM "${t}"`).all().map((r) => JSON.stringify(r)).sort()]));
}

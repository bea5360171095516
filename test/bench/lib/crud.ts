// The design the seed argues against: a normalized "CRUD" schema (current state in place, history
// in its own tables, an audit log), loaded once from the log, answering the same named queries with
// joins and aggregates. Indexed for these queries, as a careful CRUD app would be.
import Database from 'better-sqlite3';
import { rmSync } from 'node:fs';
import type { DepotBoardRow, EtaAnswer, EventRow, ParcelStatus, ParcelSummaryRow, QueryParams, RegionDeliveryTimes, RouteBoard, RouteStopRow, TimelineRow, WeatherCondition } from '../../../db/contract/index.ts';
import type { DomainEvent, DomainEvents } from '../../../db/domain/events.ts';
import { evolveParcel, initialParcel, type ParcelState } from '../../../db/domain/parcel.ts';
import { estimateEta, explainEta, type EtaCondition } from '../../../db/projections/etaModel.ts';
import { decodeAfter, encodeAfter, eventListPage, eventListWhere, exceptionLabel, timelineText, zeroCounts, type QuerySide } from './answers.ts';

const SCHEMA = `
CREATE TABLE depots (depot_id TEXT PRIMARY KEY, name TEXT NOT NULL, region TEXT NOT NULL);
CREATE TABLE drivers (driver_id TEXT PRIMARY KEY, name TEXT NOT NULL, home_depot_id TEXT NOT NULL REFERENCES depots);
CREATE TABLE parcels (
  parcel_id TEXT PRIMARY KEY, tracking_code TEXT NOT NULL UNIQUE, recipient_name TEXT NOT NULL, recipient_phone TEXT,
  street TEXT NOT NULL, city TEXT NOT NULL, postcode TEXT NOT NULL, description TEXT, weight_kg REAL NOT NULL,
  origin_depot_id TEXT NOT NULL REFERENCES depots, destination_depot_id TEXT NOT NULL REFERENCES depots,
  promised_by TEXT, registered_at TEXT NOT NULL,
  status TEXT NOT NULL, current_depot_id TEXT, route_id TEXT, driver_id TEXT, updated_at TEXT NOT NULL,
  change_seq INTEGER NOT NULL);
CREATE TABLE routes (route_id TEXT PRIMARY KEY, driver_id TEXT NOT NULL REFERENCES drivers, depot_id TEXT NOT NULL REFERENCES depots,
  date TEXT NOT NULL, state TEXT NOT NULL, planned_at TEXT NOT NULL, started_at TEXT, plan_seq INTEGER NOT NULL);
CREATE TABLE route_stops (route_id TEXT NOT NULL REFERENCES routes, stop INTEGER NOT NULL, parcel_id TEXT NOT NULL REFERENCES parcels,
  PRIMARY KEY (route_id, stop));
CREATE TABLE scans (id INTEGER PRIMARY KEY, parcel_id TEXT NOT NULL REFERENCES parcels, depot_id TEXT NOT NULL REFERENCES depots, kind TEXT NOT NULL, at TEXT NOT NULL, actor TEXT);
CREATE TABLE delivery_attempts (id INTEGER PRIMARY KEY, parcel_id TEXT NOT NULL REFERENCES parcels, route_id TEXT NOT NULL REFERENCES routes,
  driver_id TEXT NOT NULL, outcome TEXT NOT NULL, reason TEXT, at TEXT NOT NULL, actor TEXT);
CREATE TABLE exceptions (id INTEGER PRIMARY KEY, parcel_id TEXT NOT NULL REFERENCES parcels, kind TEXT NOT NULL, note TEXT, at TEXT NOT NULL, actor TEXT);
CREATE TABLE weather (id INTEGER PRIMARY KEY, region TEXT NOT NULL, condition TEXT NOT NULL, at TEXT NOT NULL);
CREATE TABLE audit_log (id INTEGER PRIMARY KEY, event_id TEXT NOT NULL, entity TEXT NOT NULL, version INTEGER NOT NULL, action TEXT NOT NULL,
  schema_version INTEGER NOT NULL, at TEXT NOT NULL, actor TEXT, correlation_id TEXT, causation_id TEXT, command_id TEXT, device_id TEXT, data TEXT NOT NULL);
`;

const INDEXES = `
CREATE INDEX parcels_by_change ON parcels (change_seq);
CREATE INDEX parcels_by_status ON parcels (status, change_seq);
CREATE INDEX parcels_by_status_tracking ON parcels (status, tracking_code);
CREATE INDEX parcels_by_destination ON parcels (destination_depot_id, status);
CREATE INDEX parcels_by_destination_change ON parcels (destination_depot_id, change_seq);
CREATE INDEX parcels_by_destination_tracking ON parcels (destination_depot_id, tracking_code);
CREATE INDEX routes_by_driver ON routes (driver_id, plan_seq);
CREATE INDEX route_stops_by_parcel ON route_stops (parcel_id);
CREATE INDEX scans_by_parcel ON scans (parcel_id, id);
CREATE INDEX attempts_by_parcel ON delivery_attempts (parcel_id, id);
CREATE INDEX attempts_by_outcome ON delivery_attempts (outcome, parcel_id);
CREATE INDEX exceptions_by_parcel ON exceptions (parcel_id, id);
CREATE INDEX weather_by_region ON weather (region, id);
CREATE INDEX audit_by_entity ON audit_log (entity, id);
CREATE INDEX audit_by_action ON audit_log (action, id);
CREATE INDEX audit_by_actor ON audit_log (actor, id);
CREATE INDEX audit_by_correlation ON audit_log (correlation_id, id);
CREATE INDEX audit_by_time ON audit_log (at);
`;

interface ParcelRow {
  state: ParcelState;
  p: DomainEvents['ParcelRegistered'];
  driverId: string | null;
  updatedAt: string;
  changeSeq: number;
}

/** Builds the CRUD database from the log (a one-off setup, not timed). Ids of history rows are log positions. */
export function buildCrud(logFile: string, target: string): { seconds: number } {
  const t0 = performance.now();
  for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(target + suffix, { force: true });
  const db = new Database(target);
  const log = new Database(logFile, { readonly: true, fileMustExist: true });
  db.pragma('foreign_keys = OFF'); // parcels and routes are written last, from their final state
  db.pragma('journal_mode = OFF');
  db.pragma('synchronous = OFF');
  db.pragma('cache_size = -262144');
  db.exec(SCHEMA);
  const ins = {
    depot: db.prepare('INSERT INTO depots VALUES (?, ?, ?)'),
    driver: db.prepare('INSERT INTO drivers VALUES (?, ?, ?)'),
    route: db.prepare('INSERT INTO routes VALUES (?, ?, ?, ?, ?, ?, ?, ?)'),
    stop: db.prepare('INSERT INTO route_stops VALUES (?, ?, ?)'),
    scan: db.prepare('INSERT INTO scans VALUES (?, ?, ?, ?, ?, ?)'),
    attempt: db.prepare('INSERT INTO delivery_attempts VALUES (?, ?, ?, ?, ?, ?, ?, ?)'),
    exception: db.prepare('INSERT INTO exceptions VALUES (?, ?, ?, ?, ?, ?)'),
    weather: db.prepare('INSERT INTO weather VALUES (?, ?, ?, ?)'),
    audit: db.prepare('INSERT INTO audit_log VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)'),
    parcel: db.prepare('INSERT INTO parcels VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)'),
  };
  const parcels = new Map<string, ParcelRow>();
  const routes = new Map<string, { row: unknown[] }>();
  db.transaction(() => {
    const read = log.prepare('SELECT position, event_id, stream_id, version, type, schema_version, payload, metadata, recorded_at FROM events ORDER BY position').raw();
    for (const raw of read.iterate()) {
      const [position, eventId, streamId, version, type, schemaVersion, payloadText, metadataText, recordedAt] = raw as [number, string, string, number, string, number, string, string, string];
      const m = JSON.parse(metadataText) as { actor: string | null; correlationId: string | null; causationId: string | null; commandId: string | null; deviceId: string | null };
      ins.audit.run(position, eventId, streamId, version, type, schemaVersion, recordedAt, m.actor, m.correlationId, m.causationId, m.commandId, m.deviceId, payloadText);
      const event = { streamId, type, payload: JSON.parse(payloadText) } as DomainEvent;
      switch (event.type) {
        case 'DepotRegistered':
          ins.depot.run(event.payload.depotId, event.payload.name, event.payload.region);
          break;
        case 'DriverRegistered':
          ins.driver.run(event.payload.driverId, event.payload.name, event.payload.homeDepotId);
          break;
        case 'WeatherRecorded':
          ins.weather.run(position, event.payload.region, event.payload.condition, event.payload.at);
          break;
        case 'RoutePlanned': {
          const p = event.payload;
          const row: unknown[] = [p.routeId, p.driverId, p.depotId, p.date, 'planned', p.at, null, position];
          routes.set(p.routeId, { row });
          break;
        }
        case 'RouteStarted': {
          const r = routes.get(event.payload.routeId);
          if (r) {
            r.row[4] = 'started';
            r.row[6] = event.payload.at;
          }
          break;
        }
        case 'RouteCompleted': {
          const r = routes.get(event.payload.routeId);
          if (r) r.row[4] = 'completed';
          break;
        }
        case 'RouteStopClosed':
          break;
        default: {
          const parcelId = (event.payload as { parcelId: string }).parcelId;
          const existing = parcels.get(parcelId);
          if (event.type === 'ParcelRegistered') {
            parcels.set(parcelId, { state: evolveParcel(initialParcel, event), p: event.payload, driverId: null, updatedAt: event.payload.at, changeSeq: position });
            break;
          }
          if (!existing) break;
          existing.state = evolveParcel(existing.state, event);
          existing.updatedAt = event.payload.at;
          existing.changeSeq = position;
          if (event.type === 'ParcelScanned') ins.scan.run(position, parcelId, event.payload.depotId, event.payload.kind, event.payload.at, m.actor);
          if (event.type === 'ParcelAddedToRoute') {
            ins.stop.run(event.payload.routeId, event.payload.stop, parcelId);
            existing.driverId = event.payload.driverId;
          }
          if (event.type === 'ParcelOutForDelivery') existing.driverId = event.payload.driverId;
          if (event.type === 'DeliveryAttempted') {
            const p = event.payload;
            ins.attempt.run(position, parcelId, p.routeId, p.driverId, p.outcome, p.reason, p.at, m.actor);
            existing.driverId = p.driverId;
          }
          if (event.type === 'ExceptionReported') ins.exception.run(position, parcelId, event.payload.kind, event.payload.note, event.payload.at, m.actor);
        }
      }
    }
    for (const r of routes.values()) ins.route.run(r.row);
    for (const [id, row] of parcels) {
      const p = row.p;
      const s = row.state;
      ins.parcel.run(
        id, p.trackingCode, p.recipient.name, p.recipient.phone ?? null, p.recipient.street, p.recipient.city, p.recipient.postcode, p.description,
        p.weightKg, p.originDepotId, p.destinationDepotId, p.promisedBy, p.at, s.status, s.currentDepotId, s.routeId, row.driverId, row.updatedAt, row.changeSeq,
      );
    }
  })();
  db.exec(INDEXES);
  db.exec('ANALYZE');
  db.close();
  log.close();
  return { seconds: (performance.now() - t0) / 1000 };
}

const PARCEL_COLUMNS = `p.parcel_id AS parcelId, p.tracking_code AS trackingCode, p.recipient_name AS recipientName, p.recipient_phone AS recipientPhone,
  p.street, p.city, p.postcode, p.description, p.weight_kg AS weightKg, p.origin_depot_id AS originDepotId, p.destination_depot_id AS destinationDepotId,
  d.region AS destinationRegion, p.status, p.current_depot_id AS currentDepotId, p.route_id AS routeId, p.driver_id AS driverId,
  (SELECT count(*) FROM delivery_attempts a WHERE a.parcel_id = p.parcel_id) AS attempts,
  (SELECT count(*) FROM exceptions e WHERE e.parcel_id = p.parcel_id) AS exceptions,
  (SELECT e.kind AS kind FROM exceptions e WHERE e.parcel_id = p.parcel_id ORDER BY e.id DESC LIMIT 1) AS lastKind,
  (SELECT e.note FROM exceptions e WHERE e.parcel_id = p.parcel_id ORDER BY e.id DESC LIMIT 1) AS lastNote,
  p.promised_by AS promisedBy, p.registered_at AS registeredAt,
  (SELECT a.at FROM delivery_attempts a WHERE a.parcel_id = p.parcel_id AND a.outcome = 'delivered' ORDER BY a.id DESC LIMIT 1) AS deliveredAt,
  p.updated_at AS updatedAt, p.change_seq AS lastPosition`;

type CrudParcel = Omit<ParcelSummaryRow, 'setBy' | 'eta' | 'lastException'> & { lastKind: string | null; lastNote: string | null };
type Stats = Map<string, Map<string, { deliveries: number; totalHours: number }>>;

/** The named queries answered from the CRUD schema. */
export function crudQueries(path: string): { side: QuerySide; close(): void } {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  db.pragma('cache_size = -32768');
  const cache = new Map<string, Database.Statement>();
  const st = (sql: string) => {
    let s = cache.get(sql);
    if (!s) cache.set(sql, (s = db.prepare(sql)));
    return s;
  };
  // Delivery durations per region and the weather there when delivered: the ETA's history, from the joins.
  const statsSql = (where: string) => `SELECT d.region AS region,
      coalesce((SELECT w.condition FROM weather w WHERE w.region = d.region AND w.id < a.id ORDER BY w.id DESC LIMIT 1), 'unknown') AS condition,
      count(*) AS deliveries, sum((julianday(a.at) - julianday(p.registered_at)) * 24) AS totalHours
    FROM delivery_attempts a JOIN parcels p ON p.parcel_id = a.parcel_id JOIN depots d ON d.depot_id = p.destination_depot_id
    WHERE a.outcome = 'delivered' ${where} GROUP BY 1, 2`;
  const stats = (region?: string): Stats => {
    const out: Stats = new Map();
    const rows = (region === undefined ? st(statsSql('')).all() : st(statsSql('AND d.region = ?')).all(region)) as { region: string; condition: string; deliveries: number; totalHours: number }[];
    for (const r of rows) {
      let m = out.get(r.region);
      if (!m) out.set(r.region, (m = new Map()));
      m.set(r.condition, { deliveries: r.deliveries, totalHours: r.totalHours });
    }
    return out;
  };
  const weatherNow = (region: string) => (st('SELECT condition FROM weather WHERE region = ? ORDER BY id DESC LIMIT 1').pluck().get(region) as EtaCondition | undefined) ?? 'unknown';
  const etaInput = (row: { status: ParcelStatus; registeredAt: string; deliveredAt: string | null; destinationRegion: string | null }, all: Stats, weather: (r: string) => EtaCondition) => {
    const region = row.destinationRegion;
    const condition = region === null ? 'unknown' : weather(region);
    const inRegion = region === null ? undefined : all.get(region);
    let deliveries = 0;
    let totalHours = 0;
    for (const s of inRegion?.values() ?? []) {
      deliveries += s.deliveries;
      totalHours += s.totalHours;
    }
    return {
      status: row.status,
      registeredAt: row.registeredAt,
      deliveredAt: row.deliveredAt,
      region,
      condition,
      inCondition: inRegion?.get(condition) ?? null,
      inRegion: inRegion ? { deliveries, totalHours } : null,
    };
  };
  const toSummary = (r: CrudParcel, all: Stats, weather: (r: string) => EtaCondition): ParcelSummaryRow => {
    const { lastKind, lastNote, ...rest } = r;
    return { ...rest, lastException: lastKind === null ? null : exceptionLabel(lastKind, lastNote), eta: estimateEta(etaInput(r, all, weather)).eta, setBy: {} };
  };
  const memoWeather = () => {
    const seen = new Map<string, EtaCondition>();
    return (region: string) => {
      let c = seen.get(region);
      if (c === undefined) seen.set(region, (c = weatherNow(region)));
      return c;
    };
  };

  const side: QuerySide = {
    'parcels.list': (params: QueryParams<'parcels.list'>) => {
      const sort = params.sort ?? 'updated';
      const limit = params.limit ?? 100;
      const column = sort === 'updated' ? 'p.change_seq' : 'p.tracking_code';
      const where: string[] = [];
      const args: (string | number)[] = [];
      if (params.status !== undefined) {
        where.push('p.status = ?');
        args.push(params.status);
      }
      if (params.depotId !== undefined) {
        where.push('p.destination_depot_id = ?');
        args.push(params.depotId);
      }
      if (params.search !== undefined && params.search.trim() !== '') {
        // A CRUD app searches with LIKE: substring matches, no index.
        const like = `%${params.search.trim()}%`;
        where.push('(p.tracking_code LIKE ? OR p.recipient_name LIKE ? OR p.street LIKE ? OR p.city LIKE ? OR p.postcode LIKE ? OR p.description LIKE ?)');
        args.push(like, like, like, like, like, like);
      }
      const total = st(`SELECT count(*) FROM parcels p${where.length ? ` WHERE ${where.join(' AND ')}` : ''}`).pluck().get(...args) as number;
      const after = decodeAfter(params.after);
      const page = [...where];
      const pageArgs = [...args];
      if (after) {
        page.push(`${column} ${sort === 'updated' ? '<' : '>'} ?`);
        pageArgs.push(after[1]!);
      }
      const rows = st(
        `SELECT ${PARCEL_COLUMNS} FROM parcels p JOIN depots d ON d.depot_id = p.destination_depot_id${page.length ? ` WHERE ${page.join(' AND ')}` : ''}
         ORDER BY ${column} ${sort === 'updated' ? 'DESC' : 'ASC'} LIMIT ?`,
      ).all(...pageArgs, limit + 1) as CrudParcel[];
      const all = stats();
      const weather = memoWeather();
      const out = rows.slice(0, limit).map((r) => toSummary(r, all, weather));
      const last = out.at(-1);
      return { rows: out, total, next: rows.length > limit && last ? encodeAfter([sort, sort === 'updated' ? last.lastPosition : last.trackingCode]) : null };
    },
    'parcel.summary': (params: QueryParams<'parcel.summary'>) => {
      const row = (
        params.parcelId !== undefined
          ? st(`SELECT ${PARCEL_COLUMNS} FROM parcels p JOIN depots d ON d.depot_id = p.destination_depot_id WHERE p.parcel_id = ?`).get(params.parcelId)
          : st(`SELECT ${PARCEL_COLUMNS} FROM parcels p JOIN depots d ON d.depot_id = p.destination_depot_id WHERE p.tracking_code = ?`).get((params.trackingCode ?? '').toUpperCase())
      ) as CrudParcel | undefined;
      if (!row) return null;
      return toSummary(row, row.destinationRegion === null ? new Map() : stats(row.destinationRegion), memoWeather());
    },
    'parcel.timeline': (params: QueryParams<'parcel.timeline'>) => {
      const limit = params.limit ?? 100;
      const rows = st(
        `SELECT * FROM (
           SELECT p.registered_at AS at, 0 AS rank, 'ParcelRegistered' AS type, p.recipient_name AS a, p.street AS b, p.city AS c, p.weight_kg AS w,
             coalesce(o.name, p.origin_depot_id) AS d1, coalesce(t.name, p.destination_depot_id) AS d2, NULL AS stop, p.origin_depot_id AS depotId, NULL AS routeId, NULL AS actor
           FROM parcels p LEFT JOIN depots o ON o.depot_id = p.origin_depot_id LEFT JOIN depots t ON t.depot_id = p.destination_depot_id WHERE p.parcel_id = @id
           UNION ALL
           SELECT s.at, 1, 'ParcelScanned', s.kind, NULL, NULL, NULL, coalesce(d.name, s.depot_id), NULL, NULL, s.depot_id, NULL, s.actor
           FROM scans s LEFT JOIN depots d ON d.depot_id = s.depot_id WHERE s.parcel_id = @id
           UNION ALL
           SELECT r.planned_at, 2, 'ParcelAddedToRoute', r.route_id, NULL, NULL, NULL, coalesce(dr.name, r.driver_id), coalesce(d.name, r.depot_id), rs.stop, r.depot_id, r.route_id, NULL
           FROM route_stops rs JOIN routes r ON r.route_id = rs.route_id LEFT JOIN drivers dr ON dr.driver_id = r.driver_id LEFT JOIN depots d ON d.depot_id = r.depot_id WHERE rs.parcel_id = @id
           UNION ALL
           SELECT r.started_at, 3, 'ParcelOutForDelivery', r.route_id, NULL, NULL, NULL, coalesce(dr.name, r.driver_id), NULL, rs.stop, NULL, r.route_id, NULL
           FROM route_stops rs JOIN routes r ON r.route_id = rs.route_id LEFT JOIN drivers dr ON dr.driver_id = r.driver_id
           WHERE rs.parcel_id = @id AND r.started_at IS NOT NULL
             AND NOT EXISTS (SELECT 1 FROM exceptions e WHERE e.parcel_id = rs.parcel_id AND e.kind = 'lost' AND e.at <= r.started_at)
           UNION ALL
           SELECT a.at, 4, 'DeliveryAttempted', a.outcome, a.reason, a.route_id, NULL, coalesce(dr.name, a.driver_id), NULL, NULL, NULL, a.route_id, a.actor
           FROM delivery_attempts a LEFT JOIN drivers dr ON dr.driver_id = a.driver_id WHERE a.parcel_id = @id
           UNION ALL
           SELECT e.at, 1, 'ExceptionReported', e.kind, e.note, NULL, NULL, NULL, NULL, NULL, NULL, NULL, e.actor FROM exceptions e WHERE e.parcel_id = @id
         ) ORDER BY at, rank LIMIT @limit`,
      ).all({ id: params.parcelId, limit: limit + 1 }) as { at: string; type: string; a: string; b: string | null; c: string | null; w: number | null; d1: string | null; d2: string | null; stop: number | null; depotId: string | null; routeId: string | null; actor: string | null }[];
      const out: TimelineRow[] = rows.slice(0, limit).map((r, i) => ({
        position: i + 1,
        eventId: '',
        type: r.type,
        at: r.at,
        summary:
          r.type === 'ParcelRegistered'
            ? timelineText.registered({ name: r.a, street: r.b!, city: r.c!, weightKg: r.w!, origin: r.d1!, destination: r.d2! })
            : r.type === 'ParcelScanned'
              ? timelineText.scanned(r.a, r.d1!)
              : r.type === 'ParcelAddedToRoute'
                ? timelineText.planned(r.a, r.d1!, r.d2!, r.stop!)
                : r.type === 'ParcelOutForDelivery'
                  ? timelineText.out(r.d1!, r.a, r.stop)
                  : r.type === 'DeliveryAttempted'
                    ? timelineText.attempt(r.a, r.d1!, r.routeId!, r.b)
                    : timelineText.exception(r.a, r.b),
        depotId: r.depotId,
        routeId: r.routeId,
        actor: r.actor,
      }));
      return { rows: out, next: rows.length > limit ? out.at(-1)!.position : null };
    },
    'parcel.eta': (params: QueryParams<'parcel.eta'>) => {
      const row = st(
        `SELECT p.parcel_id AS parcelId, p.status, p.registered_at AS registeredAt, d.region AS destinationRegion,
           (SELECT a.at FROM delivery_attempts a WHERE a.parcel_id = p.parcel_id AND a.outcome = 'delivered' ORDER BY a.id DESC LIMIT 1) AS deliveredAt
         FROM parcels p JOIN depots d ON d.depot_id = p.destination_depot_id WHERE p.parcel_id = ?`,
      ).get(params.parcelId) as { parcelId: string; status: ParcelStatus; registeredAt: string; deliveredAt: string | null; destinationRegion: string | null } | undefined;
      if (!row) return null;
      const input = etaInput(row, row.destinationRegion === null ? new Map() : stats(row.destinationRegion), memoWeather());
      const estimate = estimateEta(input);
      const answer: EtaAnswer = {
        parcelId: row.parcelId,
        status: row.status,
        eta: estimate.eta,
        basis: { region: input.region, condition: input.condition, samples: estimate.samples, averageHours: estimate.averageHours, method: estimate.method, explanation: explainEta(input, estimate) },
      };
      return answer;
    },
    'region.deliveryTimes': (params: QueryParams<'region.deliveryTimes'>) => {
      const byCondition = st(
        `SELECT condition, count(*) AS deliveries, sum(h) / count(*) AS averageHours, min(h) AS minHours, max(h) AS maxHours FROM (
           SELECT coalesce((SELECT w.condition FROM weather w WHERE w.region = d.region AND w.id < a.id ORDER BY w.id DESC LIMIT 1), 'unknown') AS condition,
             (julianday(a.at) - julianday(p.registered_at)) * 24 AS h
           FROM delivery_attempts a JOIN parcels p ON p.parcel_id = a.parcel_id JOIN depots d ON d.depot_id = p.destination_depot_id
           WHERE a.outcome = 'delivered' AND d.region = ?)
         GROUP BY condition ORDER BY averageHours DESC, condition LIMIT 20`,
      ).all(params.region) as RegionDeliveryTimes['byCondition'];
      // The current weather has held since the first of the latest run of the same condition.
      const recorded = st('SELECT condition, at FROM weather WHERE region = ? ORDER BY id DESC').all(params.region) as { condition: WeatherCondition; at: string }[];
      let since: string | null = null;
      for (const w of recorded) {
        if (w.condition !== recorded[0]!.condition) break;
        since = w.at;
      }
      return { region: params.region, condition: recorded[0]?.condition ?? null, since, byCondition };
    },
    'route.current': (params: QueryParams<'route.current'>) => {
      const columns = `r.route_id AS routeId, r.driver_id AS driverId, dr.name AS driverName, r.depot_id AS depotId, r.date, r.state, r.started_at AS startedAt`;
      const route = (st(
        `SELECT ${columns} FROM routes r LEFT JOIN drivers dr ON dr.driver_id = r.driver_id WHERE r.driver_id = ? AND r.state IN ('planned', 'started') ORDER BY r.plan_seq DESC LIMIT 1`,
      ).get(params.driverId) ??
        st(`SELECT ${columns} FROM routes r LEFT JOIN drivers dr ON dr.driver_id = r.driver_id WHERE r.driver_id = ? ORDER BY r.plan_seq DESC LIMIT 1`).get(params.driverId)) as
        | Omit<RouteBoard, 'stops'>
        | undefined;
      if (!route) return null;
      const stops = st(
        `SELECT s.stop, s.parcel_id AS parcelId, p.tracking_code AS trackingCode, p.recipient_name AS recipientName, p.street, p.city,
           a.outcome AS outcome, a.reason AS reason, a.at AS at,
           (SELECT e.note FROM exceptions e WHERE e.parcel_id = s.parcel_id AND e.kind = 'lost' AND e.id > r.plan_seq ORDER BY e.id LIMIT 1) AS lostNote,
           EXISTS (SELECT 1 FROM exceptions e WHERE e.parcel_id = s.parcel_id AND e.kind = 'lost' AND e.id > r.plan_seq) AS lost
         FROM route_stops s JOIN routes r ON r.route_id = s.route_id LEFT JOIN parcels p ON p.parcel_id = s.parcel_id
         LEFT JOIN delivery_attempts a ON a.id = (SELECT max(id) FROM delivery_attempts x WHERE x.parcel_id = s.parcel_id AND x.route_id = s.route_id)
         WHERE s.route_id = ? ORDER BY s.stop LIMIT 1000`,
      ).all(route.routeId) as (Omit<RouteStopRow, 'state'> & { outcome: 'delivered' | 'failed' | null; lostNote: string | null; lost: number })[];
      return {
        ...route,
        stops: stops.map(({ outcome, lostNote, lost, ...s }) => ({
          ...s,
          state: outcome ?? 'pending',
          reason: outcome !== null ? s.reason : lost ? `reported lost${lostNote ? `: ${lostNote}` : ''}` : null,
          at: outcome !== null ? s.at : null,
        })),
      };
    },
    'depots.board': () => {
      const rows = st(
        `SELECT d.depot_id AS depotId, d.name, d.region, p.status, count(p.parcel_id) AS n
         FROM depots d LEFT JOIN parcels p ON p.destination_depot_id = d.depot_id GROUP BY d.depot_id, p.status ORDER BY d.name, d.depot_id`,
      ).all() as { depotId: string; name: string; region: string; status: ParcelStatus | null; n: number }[];
      const out = new Map<string, DepotBoardRow>();
      for (const r of rows) {
        let row = out.get(r.depotId);
        if (!row) out.set(r.depotId, (row = { depotId: r.depotId, name: r.name, region: r.region, counts: zeroCounts(), total: 0 }));
        if (r.status !== null) {
          row.counts[r.status] += r.n;
          row.total += r.n;
        }
      }
      return [...out.values()];
    },
    'events.list': (params: QueryParams<'events.list'>) => {
      const limit = params.limit ?? 100;
      const { where, args } = eventListWhere(params, { position: 'id', stream: 'entity', type: 'action', actor: 'actor', correlation: 'correlation_id', at: 'at', text: ['data', 'entity', 'action'] });
      const rows = st(`SELECT * FROM audit_log WHERE ${where} ORDER BY id DESC LIMIT ?`).all(...args, limit + 1) as AuditRow[];
      return eventListPage(rows.map(toEventRow), limit);
    },
    'event.get': (params: QueryParams<'event.get'>) => {
      const row = st('SELECT * FROM audit_log WHERE id = ?').get(params.position) as AuditRow | undefined;
      return row ? toEventRow(row) : null;
    },
  };
  return { side, close: () => db.close() };
}

interface AuditRow {
  id: number;
  event_id: string;
  entity: string;
  version: number;
  action: string;
  schema_version: number;
  at: string;
  actor: string | null;
  correlation_id: string | null;
  causation_id: string | null;
  command_id: string | null;
  device_id: string | null;
  data: string;
}

function toEventRow(r: AuditRow): EventRow {
  return {
    position: r.id,
    eventId: r.event_id,
    streamId: r.entity,
    version: r.version,
    type: r.action,
    schemaVersion: r.schema_version,
    recordedAt: r.at,
    actor: r.actor,
    correlationId: r.correlation_id,
    causationId: r.causation_id,
    commandId: r.command_id,
    deviceId: r.device_id,
    payload: JSON.parse(r.data) as Record<string, unknown>,
    metadata: { commandId: r.command_id, correlationId: r.correlation_id, causationId: r.causation_id, actor: r.actor, deviceId: r.device_id, recordedAt: r.at },
  };
}


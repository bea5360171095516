// The same named queries computed from the raw event log alone (events.db with its own indexes):
// read the streams an answer needs, and fold whatever history the answer depends on.
import Database from 'better-sqlite3';
import type { DepotBoardRow, EtaAnswer, EventRow, ParcelStatus, ParcelSummaryRow, QueryParams, RouteBoard, RouteStopRow, TimelineRow, WeatherCondition } from '../../../db/contract/index.ts';
import type { DomainEvent, DomainEvents } from '../../../db/domain/events.ts';
import { upcasters } from '../../../db/domain/upcasters.ts';
import { estimateEta, explainEta, hoursBetween, type EtaCondition, type EtaInput } from '../../../db/projections/etaModel.ts';
import { decodeAfter, encodeAfter, eventListPage, eventListWhere, exceptionLabel, matchesSearch, timelineText, zeroCounts, type QuerySide } from './answers.ts';

interface Stored {
  position: number;
  eventId: string;
  streamId: string;
  version: number;
  type: string;
  schemaVersion: number;
  payload: Record<string, unknown>;
  metadata: { actor: string | null; correlationId: string | null; causationId: string | null; commandId: string | null; deviceId: string | null };
  recordedAt: string;
}

/** A summary row plus the position of its registration (the full-text rowid the app orders search hits by). */
type Summary = Omit<ParcelSummaryRow, 'setBy'> & { seq: number };
type Stats = Map<string, Map<string, { deliveries: number; totalHours: number }>>;

const SEARCH_CAP = 1000;

export function rawLogQueries(logFile: string): { side: QuerySide; close(): void } {
  const db = new Database(logFile, { readonly: true, fileMustExist: true });
  db.pragma('query_only = ON');
  db.pragma('cache_size = -32768');
  const cache = new Map<string, Database.Statement>();
  const st = (sql: string) => {
    let s = cache.get(sql);
    if (!s) cache.set(sql, (s = db.prepare(sql)));
    return s;
  };
  const COLUMNS = 'position, event_id AS eventId, stream_id AS streamId, version, type, schema_version AS schemaVersion, payload, metadata, recorded_at AS recordedAt';
  type Row = Omit<Stored, 'payload' | 'metadata'> & { payload: string; metadata: string };
  const parse = (r: Row): Stored => ({
    ...r,
    payload: upcasters.upcast(r.type, r.schemaVersion, JSON.parse(r.payload) as Record<string, unknown>),
    metadata: JSON.parse(r.metadata) as Stored['metadata'],
  });
  const stream = (streamId: string): Stored[] => (st(`SELECT ${COLUMNS} FROM events WHERE stream_id = ? ORDER BY version`).all(streamId) as Row[]).map(parse);
  const ofTypes = (types: string[]) => st(`SELECT position, type, schema_version AS schemaVersion, payload FROM events WHERE type IN (${types.map((t) => `'${t}'`).join(', ')}) ORDER BY position`);
  const firstPayload = <T>(streamId: string): T | null => {
    const row = st('SELECT type, schema_version AS schemaVersion, payload FROM events WHERE stream_id = ? ORDER BY version LIMIT 1').get(streamId) as { type: string; schemaVersion: number; payload: string } | undefined;
    return row ? (upcasters.upcast(row.type, row.schemaVersion, JSON.parse(row.payload) as Record<string, unknown>) as T) : null;
  };
  const depotInfo = (id: string) => firstPayload<DomainEvents['DepotRegistered']>(`depot-${id}`);
  const driverName = (id: string) => firstPayload<DomainEvents['DriverRegistered']>(`driver-${id}`)?.name ?? null;

  /** The ETA's inputs as of now: every depot's region, each region's weather, and past delivery durations per region and weather. */
  function etaContext(): { weather: Map<string, EtaCondition>; stats: Stats } {
    const depots = new Map<string, string>();
    const parcels = new Map<string, { region: string | null; registeredAt: string }>();
    const weather = new Map<string, EtaCondition>();
    const stats: Stats = new Map();
    for (const r of ofTypes(['DepotRegistered', 'WeatherRecorded', 'ParcelRegistered', 'DeliveryAttempted']).iterate() as IterableIterator<{ type: string; schemaVersion: number; payload: string }>) {
      const p = upcasters.upcast(r.type, r.schemaVersion, JSON.parse(r.payload) as Record<string, unknown>);
      if (r.type === 'DepotRegistered') depots.set(p.depotId as string, p.region as string);
      else if (r.type === 'WeatherRecorded') weather.set(p.region as string, p.condition as EtaCondition);
      else if (r.type === 'ParcelRegistered') parcels.set(p.parcelId as string, { region: depots.get(p.destinationDepotId as string) ?? null, registeredAt: p.at as string });
      else if (p.outcome === 'delivered') {
        const parcel = parcels.get(p.parcelId as string);
        if (!parcel || parcel.region === null) continue;
        const condition = weather.get(parcel.region) ?? 'unknown';
        let m = stats.get(parcel.region);
        if (!m) stats.set(parcel.region, (m = new Map()));
        const s = m.get(condition) ?? { deliveries: 0, totalHours: 0 };
        s.deliveries++;
        s.totalHours += hoursBetween(parcel.registeredAt, p.at as string);
        m.set(condition, s);
      }
    }
    return { weather, stats };
  }

  function etaInputOf(s: { status: ParcelStatus; registeredAt: string; deliveredAt: string | null; destinationRegion: string | null }, ctx: ReturnType<typeof etaContext>): EtaInput {
    const region = s.destinationRegion;
    const condition = region === null ? 'unknown' : (ctx.weather.get(region) ?? 'unknown');
    const inRegion = region === null ? undefined : ctx.stats.get(region);
    let deliveries = 0;
    let totalHours = 0;
    for (const v of inRegion?.values() ?? []) {
      deliveries += v.deliveries;
      totalHours += v.totalHours;
    }
    return { status: s.status, registeredAt: s.registeredAt, deliveredAt: s.deliveredAt, region, condition, inCondition: inRegion?.get(condition) ?? null, inRegion: inRegion ? { deliveries, totalHours } : null };
  }

  /** Folds one parcel's events into its summary row (the same rules as parcel_summary). */
  function applyToSummary(row: Summary | undefined, e: { position: number; type: string; payload: Record<string, unknown> }, regionOf: (depotId: string) => string | null): Summary | undefined {
    const p = e.payload;
    if (e.type === 'ParcelRegistered') {
      const r = p as unknown as DomainEvents['ParcelRegistered'];
      return {
        parcelId: r.parcelId, trackingCode: r.trackingCode, recipientName: r.recipient.name, recipientPhone: r.recipient.phone ?? null, street: r.recipient.street,
        city: r.recipient.city, postcode: r.recipient.postcode, description: r.description, weightKg: r.weightKg, originDepotId: r.originDepotId,
        destinationDepotId: r.destinationDepotId, destinationRegion: regionOf(r.destinationDepotId), status: 'registered', currentDepotId: r.originDepotId, routeId: null,
        driverId: null, attempts: 0, exceptions: 0, lastException: null, promisedBy: r.promisedBy, registeredAt: r.at, eta: null, deliveredAt: null, updatedAt: r.at, lastPosition: e.position, seq: e.position,
      };
    }
    if (!row) return row;
    const next = { ...row, updatedAt: p.at as string, lastPosition: e.position };
    switch (e.type) {
      case 'ParcelScanned':
        return p.kind === 'arrived' ? { ...next, status: 'at_depot', currentDepotId: p.depotId as string } : { ...next, status: 'in_transit', currentDepotId: null };
      case 'ParcelAddedToRoute':
        return { ...next, status: 'planned', routeId: p.routeId as string, driverId: p.driverId as string };
      case 'ParcelOutForDelivery':
        return { ...next, status: 'out_for_delivery', routeId: p.routeId as string, driverId: p.driverId as string };
      case 'DeliveryAttempted':
        return p.outcome === 'delivered'
          ? { ...next, status: 'delivered', attempts: row.attempts + 1, routeId: null, currentDepotId: null, driverId: p.driverId as string, deliveredAt: p.at as string }
          : { ...next, status: 'attempt_failed', attempts: row.attempts + 1, routeId: null, driverId: p.driverId as string };
      case 'ExceptionReported': {
        const reported = { ...next, exceptions: row.exceptions + 1, lastException: exceptionLabel(p.kind as string, (p.note as string | null) ?? null) };
        return p.kind === 'lost' ? { ...reported, status: 'lost', routeId: null } : reported;
      }
      default:
        return row;
    }
  }

  const PARCEL_TYPES = new Set(['ParcelRegistered', 'ParcelScanned', 'ParcelAddedToRoute', 'ParcelOutForDelivery', 'DeliveryAttempted', 'ExceptionReported']);

  /** Every parcel's summary, folded from the whole log. */
  function allSummaries(): Map<string, Summary> {
    const regions = new Map<string, string>();
    const out = new Map<string, Summary>();
    for (const r of ofTypes(['DepotRegistered', ...PARCEL_TYPES]).iterate() as IterableIterator<{ position: number; type: string; schemaVersion: number; payload: string }>) {
      const payload = upcasters.upcast(r.type, r.schemaVersion, JSON.parse(r.payload) as Record<string, unknown>);
      if (r.type === 'DepotRegistered') {
        regions.set(payload.depotId as string, payload.region as string);
        continue;
      }
      const id = payload.parcelId as string;
      const next = applyToSummary(out.get(id), { position: r.position, type: r.type, payload }, (d) => regions.get(d) ?? null);
      if (next) out.set(id, next);
    }
    return out;
  }

  function summaryOf(parcelId: string): Summary | null {
    let row: Summary | undefined;
    for (const e of stream(`parcel-${parcelId}`)) row = applyToSummary(row, e, (d) => depotInfo(d)?.region ?? null);
    return row ?? null;
  }

  const side: QuerySide = {
    'parcels.list': (params: QueryParams<'parcels.list'>) => {
      const sort = params.sort ?? 'updated';
      const limit = params.limit ?? 100;
      const ctx = etaContext();
      let rows = [...allSummaries().values()].filter((s) => (params.status === undefined || s.status === params.status) && (params.depotId === undefined || s.destinationDepotId === params.depotId));
      const searching = params.search !== undefined && params.search.trim() !== '';
      if (searching) {
        rows = rows
          .filter((s) => matchesSearch(params.search!, [s.trackingCode, s.recipientName, s.street, s.city, s.postcode, s.description ?? ''].join(' ')))
          .sort((a, b) => b.seq - a.seq)
          .slice(0, SEARCH_CAP);
      }
      const total = rows.length;
      rows.sort(sort === 'updated' ? (a, b) => b.lastPosition - a.lastPosition : (a, b) => (a.trackingCode < b.trackingCode ? -1 : a.trackingCode > b.trackingCode ? 1 : 0));
      const after = decodeAfter(params.after);
      if (after) rows = rows.filter((s) => (sort === 'updated' ? s.lastPosition < (after[1] as number) : s.trackingCode > (after[1] as string)));
      const page = rows.slice(0, limit).map(({ seq: _seq, ...s }) => ({ ...s, eta: estimateEta(etaInputOf(s, ctx)).eta, setBy: {} }));
      const last = page.at(-1);
      return { rows: page, total, next: rows.length > limit && last ? encodeAfter([sort, sort === 'updated' ? last.lastPosition : last.trackingCode]) : null };
    },
    'parcel.summary': (params: QueryParams<'parcel.summary'>) => {
      let parcelId = params.parcelId;
      if (parcelId === undefined) {
        const code = (params.trackingCode ?? '').toUpperCase();
        // The log has no index on payload fields: scan the registrations.
        const hit = st("SELECT json_extract(payload, '$.parcelId') FROM events WHERE type = 'ParcelRegistered' AND json_extract(payload, '$.trackingCode') = ? LIMIT 1").pluck().get(code) as string | undefined;
        if (hit === undefined) return null;
        parcelId = hit;
      }
      const found = summaryOf(parcelId);
      if (!found) return null;
      const { seq: _seq, ...s } = found;
      return { ...s, eta: estimateEta(etaInputOf(s, etaContext())).eta, setBy: {} };
    },
    'parcel.timeline': (params: QueryParams<'parcel.timeline'>) => {
      const limit = params.limit ?? 100;
      const after = params.after ?? 0;
      const depotName = new Map<string, string>();
      const driverNames = new Map<string, string>();
      const depot = (id: string) => {
        if (!depotName.has(id)) depotName.set(id, depotInfo(id)?.name ?? id);
        return depotName.get(id)!;
      };
      const driver = (id: string) => {
        if (!driverNames.has(id)) driverNames.set(id, driverName(id) ?? id);
        return driverNames.get(id)!;
      };
      const stops = new Map<string, number>();
      const rows: TimelineRow[] = [];
      for (const e of stream(`parcel-${params.parcelId}`)) {
        const event = { streamId: e.streamId, type: e.type, payload: e.payload } as DomainEvent;
        let summary: string;
        let depotId: string | null = null;
        let routeId: string | null = null;
        switch (event.type) {
          case 'ParcelRegistered': {
            const p = event.payload;
            summary = timelineText.registered({ name: p.recipient.name, street: p.recipient.street, city: p.recipient.city, weightKg: p.weightKg, origin: depot(p.originDepotId), destination: depot(p.destinationDepotId) });
            depotId = p.originDepotId;
            break;
          }
          case 'ParcelScanned':
            summary = timelineText.scanned(event.payload.kind, depot(event.payload.depotId));
            depotId = event.payload.depotId;
            break;
          case 'ParcelAddedToRoute':
            stops.set(event.payload.routeId, event.payload.stop);
            summary = timelineText.planned(event.payload.routeId, driver(event.payload.driverId), depot(event.payload.depotId), event.payload.stop);
            depotId = event.payload.depotId;
            routeId = event.payload.routeId;
            break;
          case 'ParcelOutForDelivery':
            summary = timelineText.out(driver(event.payload.driverId), event.payload.routeId, stops.get(event.payload.routeId) ?? null);
            routeId = event.payload.routeId;
            break;
          case 'DeliveryAttempted':
            summary = timelineText.attempt(event.payload.outcome, driver(event.payload.driverId), event.payload.routeId, event.payload.reason);
            routeId = event.payload.routeId;
            break;
          case 'ExceptionReported':
            summary = timelineText.exception(event.payload.kind, event.payload.note);
            break;
          default:
            continue;
        }
        if (e.position <= after) continue;
        rows.push({ position: e.position, eventId: e.eventId, type: e.type, at: e.payload.at as string, summary, depotId, routeId, actor: e.metadata.actor });
      }
      const page = rows.slice(0, limit);
      return { rows: page, next: rows.length > limit ? page.at(-1)!.position : null };
    },
    'parcel.eta': (params: QueryParams<'parcel.eta'>) => {
      const s = summaryOf(params.parcelId);
      if (!s) return null;
      const input = etaInputOf(s, etaContext());
      const estimate = estimateEta(input);
      const answer: EtaAnswer = {
        parcelId: s.parcelId,
        status: s.status,
        eta: estimate.eta,
        basis: { region: input.region, condition: input.condition, samples: estimate.samples, averageHours: estimate.averageHours, method: estimate.method, explanation: explainEta(input, estimate) },
      };
      return answer;
    },
    'region.deliveryTimes': (params: QueryParams<'region.deliveryTimes'>) => {
      const depots = new Map<string, string>();
      const parcels = new Map<string, { region: string | null; registeredAt: string }>();
      const weather: { now: { condition: WeatherCondition; since: string } | null } = { now: null };
      const latest = new Map<string, EtaCondition>();
      const durations = new Map<string, { deliveries: number; totalHours: number; minHours: number; maxHours: number }>();
      for (const r of ofTypes(['DepotRegistered', 'WeatherRecorded', 'ParcelRegistered', 'DeliveryAttempted']).iterate() as IterableIterator<{ type: string; schemaVersion: number; payload: string }>) {
        const p = upcasters.upcast(r.type, r.schemaVersion, JSON.parse(r.payload) as Record<string, unknown>);
        if (r.type === 'DepotRegistered') depots.set(p.depotId as string, p.region as string);
        else if (r.type === 'WeatherRecorded') {
          latest.set(p.region as string, p.condition as EtaCondition);
          if (p.region === params.region && weather.now?.condition !== p.condition) weather.now = { condition: p.condition as WeatherCondition, since: p.at as string };
        } else if (r.type === 'ParcelRegistered') parcels.set(p.parcelId as string, { region: depots.get(p.destinationDepotId as string) ?? null, registeredAt: p.at as string });
        else if (p.outcome === 'delivered') {
          const parcel = parcels.get(p.parcelId as string);
          if (parcel?.region !== params.region) continue;
          const condition = latest.get(parcel.region) ?? 'unknown';
          const hours = hoursBetween(parcel.registeredAt, p.at as string);
          const d = durations.get(condition);
          if (d) Object.assign(d, { deliveries: d.deliveries + 1, totalHours: d.totalHours + hours, minHours: Math.min(d.minHours, hours), maxHours: Math.max(d.maxHours, hours) });
          else durations.set(condition, { deliveries: 1, totalHours: hours, minHours: hours, maxHours: hours });
        }
      }
      const byCondition = [...durations]
        .map(([condition, d]) => ({ condition: condition as EtaCondition, deliveries: d.deliveries, averageHours: d.totalHours / d.deliveries, minHours: d.minHours, maxHours: d.maxHours }))
        .sort((a, b) => b.averageHours - a.averageHours || (a.condition < b.condition ? -1 : 1))
        .slice(0, 20);
      return { region: params.region, condition: weather.now?.condition ?? null, since: weather.now?.since ?? null, byCondition };
    },
    'route.current': (params: QueryParams<'route.current'>) => {
      // No index on the driver: every plan is read and filtered, newest first.
      const plans = st("SELECT stream_id AS streamId FROM events WHERE type = 'RoutePlanned' AND json_extract(payload, '$.driverId') = ? ORDER BY position DESC").pluck().all(params.driverId) as string[];
      if (plans.length === 0) return null;
      const load = (streamId: string) => {
        const events = stream(streamId);
        const planned = events[0]!.payload as unknown as DomainEvents['RoutePlanned'];
        const started = events.find((e) => e.type === 'RouteStarted');
        const state: RouteBoard['state'] = events.some((e) => e.type === 'RouteCompleted') ? 'completed' : started ? 'started' : 'planned';
        return { events, planned, state, startedAt: (started?.payload.at as string | undefined) ?? null, position: events[0]!.position };
      };
      let route = null;
      for (const id of plans) {
        const r = load(id);
        if (r.state !== 'completed') {
          route = r;
          break;
        }
      }
      route ??= load(plans[0]!);
      const closed = new Map<string, { outcome: 'delivered' | 'failed'; at: string }>();
      for (const e of route.events) if (e.type === 'RouteStopClosed') closed.set(e.payload.parcelId as string, { outcome: e.payload.outcome as 'delivered' | 'failed', at: e.payload.at as string });
      const stops: RouteStopRow[] = route.planned.parcelIds.map((parcelId, i) => {
        const events = stream(`parcel-${parcelId}`);
        const reg = events.find((e) => e.type === 'ParcelRegistered')?.payload as unknown as DomainEvents['ParcelRegistered'] | undefined;
        let reason: string | null = null;
        for (const e of events) {
          if (e.position <= route.position) continue;
          if (e.type === 'DeliveryAttempted' && e.payload.routeId === route.planned.routeId) reason = (e.payload.reason as string | null) ?? null;
          if (e.type === 'ExceptionReported' && e.payload.kind === 'lost' && !closed.has(parcelId) && reason === null) reason = `reported lost${e.payload.note ? `: ${String(e.payload.note)}` : ''}`;
        }
        const c = closed.get(parcelId);
        return {
          stop: i + 1,
          parcelId,
          trackingCode: reg?.trackingCode ?? null,
          recipientName: reg?.recipient.name ?? null,
          street: reg?.recipient.street ?? null,
          city: reg?.recipient.city ?? null,
          state: c?.outcome ?? 'pending',
          reason,
          at: c?.at ?? null,
        };
      });
      return { routeId: route.planned.routeId, driverId: route.planned.driverId, driverName: driverName(route.planned.driverId), depotId: route.planned.depotId, date: route.planned.date, state: route.state, startedAt: route.startedAt, stops };
    },
    'depots.board': () => {
      const depots = new Map<string, DepotBoardRow>();
      const parcels = new Map<string, { depotId: string; status: ParcelStatus }>();
      for (const r of ofTypes(['DepotRegistered', ...PARCEL_TYPES]).iterate() as IterableIterator<{ type: string; schemaVersion: number; payload: string }>) {
        const p = upcasters.upcast(r.type, r.schemaVersion, JSON.parse(r.payload) as Record<string, unknown>);
        if (r.type === 'DepotRegistered') {
          depots.set(p.depotId as string, { depotId: p.depotId as string, name: p.name as string, region: p.region as string, counts: zeroCounts(), total: 0 });
          continue;
        }
        if (r.type === 'ParcelRegistered') {
          parcels.set(p.parcelId as string, { depotId: p.destinationDepotId as string, status: 'registered' });
          continue;
        }
        const parcel = parcels.get(p.parcelId as string);
        if (!parcel) continue;
        const status: ParcelStatus | null =
          r.type === 'ParcelScanned' ? (p.kind === 'arrived' ? 'at_depot' : 'in_transit')
          : r.type === 'ParcelAddedToRoute' ? 'planned'
          : r.type === 'ParcelOutForDelivery' ? 'out_for_delivery'
          : r.type === 'DeliveryAttempted' ? (p.outcome === 'delivered' ? 'delivered' : 'attempt_failed')
          : r.type === 'ExceptionReported' && p.kind === 'lost' ? 'lost'
          : null;
        if (status) parcel.status = status;
      }
      for (const parcel of parcels.values()) {
        const d = depots.get(parcel.depotId);
        if (!d) continue;
        d.counts[parcel.status]++;
        d.total++;
      }
      return [...depots.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.depotId < b.depotId ? -1 : 1));
    },
    'events.list': (params: QueryParams<'events.list'>) => {
      const limit = params.limit ?? 100;
      const columns = { position: 'position', stream: 'stream_id', type: 'type', actor: "json_extract(metadata, '$.actor')", correlation: 'correlation_id', at: 'recorded_at', text: ['payload', 'stream_id', 'type'] };
      const { where, args } = eventListWhere(params, columns);
      const rows = (st(`SELECT ${COLUMNS} FROM events WHERE ${where} ORDER BY position DESC LIMIT ?`).all(...args, limit + 1) as Row[]).map(parse);
      return eventListPage(rows.map(toEventRow), limit);
    },
    'event.get': (params: QueryParams<'event.get'>) => {
      const row = st(`SELECT ${COLUMNS} FROM events WHERE position = ?`).get(params.position) as Row | undefined;
      return row ? toEventRow(parse(row)) : null;
    },
  };
  return { side, close: () => db.close() };
}

function toEventRow(e: Stored): EventRow {
  const m = e.metadata;
  return {
    position: e.position,
    eventId: e.eventId,
    streamId: e.streamId,
    version: e.version,
    type: e.type,
    schemaVersion: e.schemaVersion,
    recordedAt: e.recordedAt,
    actor: m.actor,
    correlationId: m.correlationId,
    causationId: m.causationId,
    commandId: m.commandId,
    deviceId: m.deviceId,
    payload: e.payload,
    metadata: { ...m, recordedAt: e.recordedAt },
  };
}

// What the comparison sides share: the answer types of the contract, the sentences of the parcel
// timeline, full-text matching for the raw log, and the normal form two answers are compared in.
import type { DepotBoardRow, EtaAnswer, EventRow, ParcelSummaryRow, QueryName, QueryParams, QueryResults, RegionDeliveryTimes, RouteBoard, TimelineRow } from '../../../db/contract/index.ts';
import { parcelStatuses, type ParcelStatus } from '../../../db/contract/index.ts';

export type ComparedQuery = Exclude<QueryName, 'projections.status' | 'conflicts.list'>;
export type QuerySide = { [Q in ComparedQuery]: (params: QueryParams<Q>) => QueryResults[Q] };

export const kg = (weight: number) => `${Number(weight.toFixed(2))} kg`;

export const timelineText = {
  registered: (p: { name: string; street: string; city: string; weightKg: number; origin: string; destination: string }) =>
    `Registered for ${p.name}, ${p.street}, ${p.city} — ${kg(p.weightKg)}, from ${p.origin} to ${p.destination}`,
  scanned: (kind: string, depot: string) => `${kind === 'arrived' ? 'Arrived at' : 'Departed from'} ${depot}`,
  planned: (routeId: string, driver: string, depot: string, stop: number) => `Planned on route ${routeId} with ${driver} from ${depot}, stop ${stop}`,
  out: (driver: string, routeId: string, stop: number | null) => `Out for delivery with ${driver} (route ${routeId}${stop === null ? '' : `, stop ${stop}`})`,
  attempt: (outcome: string, driver: string, routeId: string, reason: string | null) =>
    outcome === 'delivered' ? `Delivered by ${driver} (route ${routeId})` : `Delivery failed: ${reason ?? 'no reason given'}`,
  exception: (kind: string, note: string | null) => `Reported ${kind.replace(/_/g, ' ')}${note ? `: ${note}` : ''}`,
};

export const exceptionLabel = (kind: string, note: string | null) => `${kind.replace(/_/g, ' ')}${note ? `: ${note}` : ''}`;

export const zeroCounts = () => Object.fromEntries(parcelStatuses.map((s) => [s, 0])) as Record<ParcelStatus, number>;

/** Lower-cased, accent-free words, as FTS5's unicode61 tokenizer with remove_diacritics splits them. */
export function words(text: string): string[] {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
}

/** Whether a text matches every term of a search as a word prefix (the FTS query the app builds). */
export function matchesSearch(search: string, text: string): boolean {
  const terms = words(search).slice(0, 8);
  if (terms.length === 0) return true;
  const have = words(text);
  return terms.every((t) => have.some((w) => w.startsWith(t)));
}

export function decodeAfter(after: string | undefined): (string | number)[] | null {
  if (after === undefined) return null;
  return JSON.parse(Buffer.from(after, 'base64url').toString('utf8')) as (string | number)[];
}
export function encodeAfter(values: (string | number)[]): string {
  return Buffer.from(JSON.stringify(values)).toString('base64url');
}

/**
 * The part of an answer every side can know. Fields only a read model has (positions of the events
 * that set each field, event ids in the timeline, the estimate as of a past change) are left out.
 */
export function normalForm(query: ComparedQuery, answer: unknown, side: 'waybill' | 'crud' | 'raw'): string {
  switch (query) {
    case 'parcels.list': {
      const page = answer as QueryResults['parcels.list'];
      return JSON.stringify({ total: page.total, rows: page.rows.map((r) => summaryCore(r)) });
    }
    case 'parcel.summary':
      return JSON.stringify(answer === null ? null : summaryCore(answer as ParcelSummaryRow));
    case 'parcel.timeline': {
      const page = answer as QueryResults['parcel.timeline'];
      return JSON.stringify(page.rows.map((r: TimelineRow) => [r.type, r.at, r.summary, side === 'crud' ? null : r.position]));
    }
    case 'parcel.eta': {
      const a = answer as EtaAnswer | null;
      return JSON.stringify(a && [a.status, a.eta, a.basis.region, a.basis.condition, a.basis.samples, a.basis.method]);
    }
    case 'region.deliveryTimes': {
      const r = answer as RegionDeliveryTimes;
      const hours = (h: number) => Math.round(h * 1e6) / 1e6;
      return JSON.stringify([r.condition, r.since, r.byCondition.map((c) => [c.condition, c.deliveries, hours(c.averageHours), hours(c.minHours), hours(c.maxHours)])]);
    }
    case 'route.current': {
      const r = answer as RouteBoard | null;
      return JSON.stringify(r && [r.routeId, r.driverName, r.state, r.startedAt, r.stops.map((s) => [s.stop, s.parcelId, s.trackingCode, s.state, s.reason, s.at])]);
    }
    case 'depots.board':
      return JSON.stringify((answer as DepotBoardRow[]).map((d) => [d.depotId, d.name, d.region, d.total, d.counts]));
    case 'events.list':
      return JSON.stringify((answer as QueryResults['events.list']).rows.map((e: EventRow) => [e.position, e.type, e.streamId]));
    case 'event.get': {
      const e = answer as EventRow | null;
      return JSON.stringify(e && [e.position, e.eventId, e.type, e.streamId, e.payload]);
    }
  }
}

function summaryCore(r: ParcelSummaryRow) {
  return [r.parcelId, r.trackingCode, r.status, r.destinationRegion, r.currentDepotId, r.routeId, r.driverId, r.attempts, r.exceptions, r.lastException, r.deliveredAt];
}

/** Where an event-history baseline keeps each field events.list filters on. */
export interface EventListColumns {
  position: string;
  stream: string;
  type: string;
  /** An SQL expression for the actor (a column, or a JSON path into metadata). */
  actor: string;
  correlation: string;
  at: string;
  /** Columns a search looks into, with LIKE. */
  text: readonly string[];
}

/** The WHERE clause and arguments of an events.list page on a baseline's own table, newest first before `before`. */
export function eventListWhere(params: QueryParams<'events.list'>, columns: EventListColumns): { where: string; args: (string | number)[] } {
  const where = [`${columns.position} < ?`];
  const args: (string | number)[] = [params.before ?? Number.MAX_SAFE_INTEGER];
  const add = (sql: string, value: string | number) => {
    where.push(sql);
    args.push(value);
  };
  if (params.streamId !== undefined) add(`${columns.stream} = ?`, params.streamId);
  if (params.type !== undefined) add(`${columns.type} = ?`, params.type);
  if (params.actor !== undefined) add(`${columns.actor} = ?`, params.actor);
  if (params.correlationId !== undefined) add(`${columns.correlation} = ?`, params.correlationId);
  if (params.from !== undefined) add(`${columns.at} >= ?`, new Date(params.from).toISOString());
  if (params.to !== undefined) add(`${columns.at} < ?`, new Date(params.to).toISOString());
  if (params.search !== undefined && params.search.trim() !== '') {
    const like = `%${params.search.trim()}%`;
    where.push(`(${columns.text.map((column) => `${column} LIKE ?`).join(' OR ')})`);
    args.push(...columns.text.map(() => like));
  }
  return { where: where.join(' AND '), args };
}

/** An events.list page from `limit + 1` rows read newest first: the next cursor only if there was one more. */
export function eventListPage(rows: EventRow[], limit: number): QueryResults['events.list'] {
  const page = rows.slice(0, limit);
  return { rows: page, next: rows.length > limit ? page.at(-1)!.position : null };
}

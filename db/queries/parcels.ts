import type Database from 'better-sqlite3';
import type { ParcelSummaryRow, TimelineRow } from '../contract/index.ts';
import { explainEta } from '../projections/etaModel.ts';
import { CursorError, decodeCursor, defineQuery, encodeCursor, ftsMatcher } from './defineQuery.ts';
import { prepareEtaNow, type EtaParcel } from './etaNow.ts';
import { parcelSummary as parcelSummaryTable } from '../projections/parcelSummary/tables.ts';
import { parcelTimeline as parcelTimelineTable } from '../projections/parcelTimeline/tables.ts';
import { columnName, selectList, type ColumnKey, type Row } from '../readmodel/tableSql.ts';

const MAX_ROWS = 1000;
/** A search looks at no more than this many matches (newest registrations first); its total is capped here too. */
const SEARCH_CAP = 1000;

/** A stored row as the SELECT below reads it: every column but seq, under its drizzle name. */
type SummaryRecord = Row<typeof parcelSummaryTable, Exclude<ColumnKey<typeof parcelSummaryTable>, 'seq'>>;
type TimelineRecord = Row<typeof parcelTimelineTable, Exclude<ColumnKey<typeof parcelTimelineTable>, 'parcelId'>>;

const SUMMARY_COLUMNS = selectList(parcelSummaryTable, { except: ['seq'], from: 'parcel_summary' });

/** Stored rows as the contract shows them, lineage parsed, with the delivery estimate as of this answer: call once per answer. */
function summaryRows(db: Database.Database): () => (record: SummaryRecord) => ParcelSummaryRow {
  const etaNow = prepareEtaNow(db);
  return () => {
    const estimate = etaNow();
    return (record) => {
      const eta = estimate({ ...record, region: record.destinationRegion }).estimate.eta;
      return { ...record, eta, setBy: JSON.parse(record.setBy) as Record<string, number> };
    };
  };
}

function statementCache(db: Database.Database): (sql: string) => Database.Statement {
  const cache = new Map<string, Database.Statement>();
  return (sql) => {
    let statement = cache.get(sql);
    if (!statement) cache.set(sql, (statement = db.prepare(sql)));
    return statement;
  };
}

/** Sort key of a row, and the keyset condition that continues after it. Both keys are unique per parcel (an event touches one parcel). */
const SORTS = {
  updated: { column: 'last_position', alias: 'lastPosition', order: 'DESC', after: '<', type: 'number' },
  tracking: { column: 'tracking_code', alias: 'trackingCode', order: 'ASC', after: '>', type: 'string' },
} as const;

/**
 * The parcel list, keyset-paged. Without a search each filter/sort pair has its own index, and
 * `total` comes from parcel_counts. With a search, the full-text index yields at most SEARCH_CAP
 * matches that pass the filters (newest registrations first); those are sorted and paged, and
 * `total` is their number, so it is capped at SEARCH_CAP.
 */
export const parcelsList = defineQuery({
  name: 'parcels.list',
  readModel: 'parcel_summary',
  prepare({ parcel_summary: db }) {
    const statement = statementCache(db);
    const searchMatch = ftsMatcher(db, 'parcel_search');
    const toSummaryRow = summaryRows(db);
    return (params) => {
      const sort = SORTS[params.sort];
      const limit = Math.min(params.limit, MAX_ROWS);
      const cursor = decodeCursor(params.after, 2);
      if (cursor !== null && (cursor[0] !== params.sort || typeof cursor[1] !== sort.type)) throw new CursorError();
      const filters: string[] = [];
      const filterArgs: string[] = [];
      if (params.status !== undefined) { filters.push('status = ?'); filterArgs.push(params.status); }
      if (params.depotId !== undefined) { filters.push('destination_depot_id = ?'); filterArgs.push(params.depotId); }
      const match = params.search === undefined ? null : searchMatch(params.search);

      let records: SummaryRecord[];
      let total: number;
      if (match !== null) {
        const hits = (columns: string) => `SELECT ${columns}
          FROM parcel_search JOIN parcel_summary ON parcel_summary.seq = parcel_search.rowid
          WHERE parcel_search MATCH ?${filters.map((f) => ` AND ${f}`).join('')} ORDER BY parcel_search.rowid DESC LIMIT ${SEARCH_CAP}`;
        const page = `WITH hits AS (${hits(SUMMARY_COLUMNS)}) SELECT * FROM hits${cursor ? ` WHERE ${sort.alias} ${sort.after} ?` : ''}
          ORDER BY ${sort.alias} ${sort.order} LIMIT ?`;
        records = statement(page).all(match, ...filterArgs, ...(cursor ? [cursor[1]!] : []), limit + 1) as SummaryRecord[];
        total = statement(`SELECT count(*) FROM (${hits('parcel_summary.seq')})`).pluck().get(match, ...filterArgs) as number;
      } else {
        const where = cursor ? [...filters, `${sort.column} ${sort.after} ?`] : filters;
        const page = `SELECT ${SUMMARY_COLUMNS} FROM parcel_summary${where.length ? ` WHERE ${where.join(' AND ')}` : ''}
          ORDER BY ${sort.column} ${sort.order} LIMIT ?`;
        records = statement(page).all(...filterArgs, ...(cursor ? [cursor[1]!] : []), limit + 1) as SummaryRecord[];
        const counts = `SELECT coalesce(sum(n), 0) FROM parcel_counts${filters.length ? ` WHERE ${filters.join(' AND ')}` : ''}`;
        total = statement(counts).pluck().get(...filterArgs) as number;
      }
      const rows = records.slice(0, limit).map(toSummaryRow());
      const last = rows[rows.length - 1];
      return { rows, total, next: records.length > limit && last ? encodeCursor([params.sort, last[sort.alias]]) : null };
    };
  },
});

export const parcelSummaryQuery = defineQuery({
  name: 'parcel.summary',
  readModel: 'parcel_summary',
  prepare({ parcel_summary: db }) {
    const byId = db.prepare(`SELECT ${SUMMARY_COLUMNS} FROM parcel_summary WHERE parcel_id = ?`);
    const byTracking = db.prepare(`SELECT ${SUMMARY_COLUMNS} FROM parcel_summary WHERE tracking_code = ?`);
    const toSummaryRow = summaryRows(db);
    return (params) => {
      const record = (
        params.parcelId !== undefined ? byId.get(params.parcelId) : byTracking.get((params.trackingCode ?? '').toUpperCase())
      ) as SummaryRecord | undefined;
      return record ? toSummaryRow()(record) : null;
    };
  },
});

/** Oldest first, keyset-paged by position. */
export const parcelTimelineQuery = defineQuery({
  name: 'parcel.timeline',
  readModel: 'parcel_timeline',
  prepare({ parcel_timeline: db }) {
    const page = db.prepare(
      `SELECT ${selectList(parcelTimelineTable, { except: ['parcelId'] })}
       FROM parcel_timeline WHERE parcel_id = ? AND position > ? ORDER BY position LIMIT ?`,
    );
    return (params) => {
      const limit = Math.min(params.limit, MAX_ROWS);
      const records = page.all(params.parcelId, params.after ?? 0, limit + 1) as TimelineRecord[];
      const rows: TimelineRow[] = records.slice(0, limit);
      return { rows, next: records.length > limit ? rows[rows.length - 1]!.position : null };
    };
  },
});

/** The same estimate parcel.summary and parcels.list carry, with what it rests on in words. */
export const parcelEta = defineQuery({
  name: 'parcel.eta',
  readModel: 'parcel_summary',
  prepare({ parcel_summary: db }) {
    const parcel = db.prepare(
      `SELECT ${selectList(parcelSummaryTable, { only: ['parcelId', 'status', 'registeredAt', 'deliveredAt'] })},
         ${columnName(parcelSummaryTable, 'destinationRegion')} AS region
       FROM parcel_summary WHERE parcel_id = ?`,
    );
    const etaNow = prepareEtaNow(db);
    return ({ parcelId }) => {
      const p = parcel.get(parcelId) as ({ parcelId: string } & EtaParcel) | undefined;
      if (!p) return null;
      const { input, estimate } = etaNow()(p);
      return {
        parcelId: p.parcelId,
        status: p.status,
        eta: estimate.eta,
        basis: {
          region: p.region,
          condition: input.condition,
          samples: estimate.samples,
          averageHours: estimate.averageHours,
          method: estimate.method,
          explanation: explainEta(input, estimate),
        },
      };
    };
  },
});

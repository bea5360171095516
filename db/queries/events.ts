import type { EventRow } from '../contract/index.ts';
import { historyEvents } from '../projections/eventHistory/tables.ts';
import { selectList, type Row } from '../readmodel/tableSql.ts';
import { defineQuery, ftsMatcher } from './defineQuery.ts';

type HistoryRecord = Row<typeof historyEvents>;

const HISTORY_COLUMNS = selectList(historyEvents, { from: 'h' });

function toEventRow(r: HistoryRecord): EventRow {
  return {
    ...r,
    payload: JSON.parse(r.payload) as Record<string, unknown>,
    metadata: {
      commandId: r.commandId,
      correlationId: r.correlationId,
      causationId: r.causationId,
      actor: r.actor,
      deviceId: r.deviceId,
      recordedAt: r.recordedAt,
    },
  };
}

const MAX_ROWS = 1000;

/** Newest first, keyset-paged by position. One equality filter picks the index; the rest narrow it. */
export const eventsList = defineQuery({
  name: 'events.list',
  readModel: 'event_history',
  prepare({ event_history: db }) {
    const cache = new Map<string, import('better-sqlite3').Statement>();
    const firstAtOrAfter = db.prepare('SELECT position FROM history_events WHERE recorded_at >= ? ORDER BY recorded_at ASC LIMIT 1').pluck();
    const lastBefore = db.prepare('SELECT position FROM history_events WHERE recorded_at < ? ORDER BY recorded_at DESC LIMIT 1').pluck();
    const statement = (sql: string) => {
      let s = cache.get(sql);
      if (!s) cache.set(sql, (s = db.prepare(sql)));
      return s;
    };
    const searchMatch = ftsMatcher(db, 'history_search');
    return (params) => {
      const where: string[] = [];
      const args: (string | number)[] = [];
      const limit = Math.min(params.limit, MAX_ROWS);
      // Always bounded by position, so even an unfiltered page is an index search, never a table scan.
      where.push('h.position < ?');
      args.push(params.before ?? Number.MAX_SAFE_INTEGER);
      if (params.streamId !== undefined) { where.push('h.stream_id = ?'); args.push(params.streamId); }
      if (params.type !== undefined) { where.push('h.type = ?'); args.push(params.type); }
      if (params.actor !== undefined) { where.push('h.actor = ?'); args.push(params.actor); }
      if (params.correlationId !== undefined) { where.push('h.correlation_id = ?'); args.push(params.correlationId); }
      if (params.from !== undefined || params.to !== undefined) {
        // Recorded times come from the single writer's clock, so they rise with position: the time
        // index turns the range into a position range in two seeks, and the rows are re-checked.
        const from = params.from === undefined ? null : new Date(params.from).toISOString();
        const to = params.to === undefined ? null : new Date(params.to).toISOString();
        const low = from === null ? 0 : ((firstAtOrAfter.get(from) as number | undefined) ?? Number.MAX_SAFE_INTEGER);
        const high = to === null ? Number.MAX_SAFE_INTEGER : ((lastBefore.get(to) as number | undefined) ?? 0);
        where.push('h.position BETWEEN ? AND ?');
        args.push(low, high);
        if (from !== null) { where.push('h.recorded_at >= ?'); args.push(from); }
        if (to !== null) { where.push('h.recorded_at < ?'); args.push(to); }
      }
      const match = params.search === undefined ? null : searchMatch(params.search);
      let sql: string;
      if (match !== null) {
        // The full-text index yields positions newest first; the filters then narrow them.
        sql = `SELECT ${HISTORY_COLUMNS} FROM history_search s JOIN history_events h ON h.position = s.rowid
               WHERE history_search MATCH ?${where.length ? ` AND ${where.join(' AND ')}` : ''} ORDER BY s.rowid DESC LIMIT ?`;
        args.unshift(match);
      } else {
        sql = `SELECT ${HISTORY_COLUMNS} FROM history_events h${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY h.position DESC LIMIT ?`;
      }
      args.push(limit + 1);
      const records = statement(sql).all(...args) as HistoryRecord[];
      const rows = records.slice(0, limit).map(toEventRow);
      return { rows, next: records.length > limit ? rows[rows.length - 1]!.position : null };
    };
  },
});

export const eventGet = defineQuery({
  name: 'event.get',
  readModel: 'event_history',
  prepare({ event_history: db }) {
    const byPosition = db.prepare(`SELECT ${HISTORY_COLUMNS} FROM history_events h WHERE position = ?`);
    return ({ position }) => {
      const record = byPosition.get(position) as HistoryRecord | undefined;
      return record ? toEventRow(record) : null;
    };
  },
});

import type { EventRow } from '../contract.ts';
import { defineQuery, ftsQuery } from './defineQuery.ts';

interface HistoryRecord {
  position: number;
  eventId: string;
  streamId: string;
  version: number;
  type: string;
  schemaVersion: number;
  recordedAt: string;
  actor: string | null;
  correlationId: string | null;
  causationId: string | null;
  commandId: string | null;
  deviceId: string | null;
  payload: string;
}

const columns = (t: string) => `${t}.position, ${t}.event_id AS eventId, ${t}.stream_id AS streamId, ${t}.version, ${t}.type,
  ${t}.schema_version AS schemaVersion, ${t}.recorded_at AS recordedAt, ${t}.actor, ${t}.correlation_id AS correlationId,
  ${t}.causation_id AS causationId, ${t}.command_id AS commandId, ${t}.device_id AS deviceId, ${t}.payload`;

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
  maxRows: MAX_ROWS,
  prepare({ event_history: db }) {
    const cache = new Map<string, import('better-sqlite3').Statement>();
    const statement = (sql: string) => {
      let s = cache.get(sql);
      if (!s) cache.set(sql, (s = db.prepare(sql)));
      return s;
    };
    return (params) => {
      const where: string[] = [];
      const args: (string | number)[] = [];
      const limit = Math.min(params.limit, MAX_ROWS);
      if (params.before !== undefined) (where.push('h.position < ?'), args.push(params.before));
      if (params.streamId !== undefined) (where.push('h.stream_id = ?'), args.push(params.streamId));
      if (params.type !== undefined) (where.push('h.type = ?'), args.push(params.type));
      if (params.actor !== undefined) (where.push('h.actor = ?'), args.push(params.actor));
      if (params.correlationId !== undefined) (where.push('h.correlation_id = ?'), args.push(params.correlationId));
      if (params.from !== undefined) (where.push('h.recorded_at >= ?'), args.push(new Date(params.from).toISOString()));
      if (params.to !== undefined) (where.push('h.recorded_at < ?'), args.push(new Date(params.to).toISOString()));
      const match = params.search === undefined ? null : ftsQuery(params.search);
      let sql: string;
      if (match !== null) {
        // The full-text index yields positions newest first; the filters then narrow them.
        sql = `SELECT ${columns('h')} FROM history_search s JOIN history_events h ON h.position = s.rowid
               WHERE history_search MATCH ?${where.length ? ` AND ${where.join(' AND ')}` : ''} ORDER BY s.rowid DESC LIMIT ?`;
        args.unshift(match);
      } else {
        sql = `SELECT ${columns('h')} FROM history_events h${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY h.position DESC LIMIT ?`;
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
  maxRows: 1,
  prepare({ event_history: db }) {
    const byPosition = db.prepare(`SELECT ${columns('h')} FROM history_events h WHERE position = ?`);
    return ({ position }) => {
      const record = byPosition.get(position) as HistoryRecord | undefined;
      return record ? toEventRow(record) : null;
    };
  },
});

// Wraps a projection so every prepared statement it runs is timed: where a projection's time goes,
// statement by statement, with the rest being its JavaScript (decoding events, building rows, GC).
import type Database from 'better-sqlite3';
import type { Projection } from '../../../db/readmodel/projection.ts';
import { mdTable } from './log.ts';

export type StatementTimes = Map<string, { ms: number; calls: number }>;

export function timedProjection(projection: Projection, times: StatementTimes): Projection {
  return {
    ...projection,
    prepare(db) {
      const proxy = new Proxy(db, {
        get(target, prop, receiver) {
          if (prop === 'prepare') {
            return (sql: string) => {
              const statement = target.prepare(sql);
              const key = sql.replace(/\s+/g, ' ').trim();
              const wrap = (method: 'run' | 'get' | 'all') => (...args: unknown[]) => {
                const t = performance.now();
                const result = (statement[method] as (...a: unknown[]) => unknown).apply(statement, args);
                const entry = times.get(key) ?? { ms: 0, calls: 0 };
                entry.ms += performance.now() - t;
                entry.calls++;
                times.set(key, entry);
                return result;
              };
              return new Proxy(statement, {
                get(s, k) {
                  if (k === 'run' || k === 'get' || k === 'all') return wrap(k);
                  const v = Reflect.get(s, k) as unknown;
                  return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(s) : v;
                },
              });
            };
          }
          const value = Reflect.get(target, prop, receiver) as unknown;
          return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
        },
      });
      return projection.prepare(proxy as Database.Database);
    },
  };
}

export function statementTable(title: string, times: StatementTimes, totalMs: number, events: number): string {
  const rows = [...times.entries()].sort((a, b) => b[1].ms - a[1].ms);
  const inStatements = rows.reduce((n, [, v]) => n + v.ms, 0);
  return [
    `**${title}**: ${Math.round(totalMs)} ms for ${events.toLocaleString('en-US')} events; ${((100 * inStatements) / totalMs).toFixed(0)} % inside the projection's own statements, the rest in JavaScript (reading and decoding events, building rows, GC) and the batch's own statements.`,
    '',
    mdTable(
      ['statement', 'share', 'calls', 'µs per call'],
      rows.map(([sql, v]) => [`\`${sql.length > 90 ? `${sql.slice(0, 90)}…` : sql}\``, `${((100 * v.ms) / totalMs).toFixed(1)} %`, v.calls.toLocaleString('en-US'), ((1000 * v.ms) / v.calls).toFixed(1)]),
    ),
  ].join('\n');
}

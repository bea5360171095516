// Records every statement a piece of code prepares and runs on a connection, so a spec can
// EXPLAIN QUERY PLAN exactly what ran, with the arguments it ran with.
import type Database from 'better-sqlite3';

export interface RecordedCall {
  db: Database.Database;
  sql: string;
  args: unknown[];
}

export interface StatementRecorder {
  /** The connection to hand to the code under test. */
  wrap(db: Database.Database): Database.Database;
  readonly calls: RecordedCall[];
  /** How many times `prepare` was called, over all wrapped connections. */
  readonly prepared: number;
}

const RUNS = new Set<PropertyKey>(['all', 'get', 'run', 'iterate']);

export function recordStatements(): StatementRecorder {
  const calls: RecordedCall[] = [];
  let prepared = 0;
  function wrapStatement(statement: Database.Statement, db: Database.Database, sql: string): Database.Statement {
    const proxy: Database.Statement = new Proxy(statement, {
      get(target, prop) {
        const value: unknown = Reflect.get(target, prop, target);
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          if (RUNS.has(prop)) calls.push({ db, sql, args });
          const result: unknown = value.apply(target, args);
          return result === target ? proxy : result;
        };
      },
    });
    return proxy;
  }
  return {
    calls,
    get prepared() {
      return prepared;
    },
    wrap(db) {
      return new Proxy(db, {
        get(target, prop) {
          if (prop === 'prepare') {
            return (sql: string) => {
              prepared++;
              return wrapStatement(target.prepare(sql), target, sql);
            };
          }
          const value: unknown = Reflect.get(target, prop, target);
          return typeof value === 'function' ? value.bind(target) : value;
        },
      });
    },
  };
}

const KEYWORDS = new Set(['where', 'join', 'on', 'order', 'left', 'inner', 'group', 'limit', 'set', 'using', 'values']);

/** The names (table and aliases) under which `tables` appear in a statement. */
function namesOf(sql: string, tables: readonly string[]): Set<string> {
  const names = new Set(tables);
  const pattern = new RegExp(String.raw`\b(?:FROM|JOIN|UPDATE|INTO)\s+(${tables.join('|')})(?:\s+(?:AS\s+)?([A-Za-z_]\w*))?`, 'gi');
  for (const match of sql.matchAll(pattern)) {
    const alias = match[2];
    if (alias !== undefined && !KEYWORDS.has(alias.toLowerCase())) names.add(alias);
  }
  return names;
}

const UNINDEXED_SCAN = /^SCAN (?!.*USING (COVERING )?INDEX)/;

/** Plan lines of a recorded call that scan one of `tables` without an index. */
export function unindexedScans(call: RecordedCall, tables: readonly string[]): string[] {
  const plan = call.db.prepare(`EXPLAIN QUERY PLAN ${call.sql}`).all(...call.args) as { detail: string }[];
  const names = namesOf(call.sql, tables);
  return plan
    .map((row) => row.detail)
    .filter((detail) => UNINDEXED_SCAN.test(detail) && names.has(detail.split(' ')[1] ?? ''));
}

export function planOf(call: RecordedCall): string[] {
  return (call.db.prepare(`EXPLAIN QUERY PLAN ${call.sql}`).all(...call.args) as { detail: string }[]).map((row) => row.detail);
}

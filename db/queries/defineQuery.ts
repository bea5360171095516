import type Database from 'better-sqlite3';
import type { z } from 'zod';
import type { QueryName, QueryResults, ReadModelName, querySchemas } from '../contract.ts';

export type ReadConnections = Readonly<Record<ReadModelName, Database.Database>>;
export type ParsedParams<Q extends QueryName> = z.output<(typeof querySchemas)[Q]>;

/**
 * A query is a name, a row cap and prepared statements over read models. Params arrive
 * validated; the runner prepares once per set of read-model connections (again after a rebuild swap).
 */
export interface QueryDefinition<Q extends QueryName> {
  name: Q;
  /** The read model whose freshness the answer reports and `minPosition` waits on. */
  readModel: ReadModelName;
  maxRows: number;
  prepare(connections: ReadConnections): (params: ParsedParams<Q>) => QueryResults[Q];
}

export function defineQuery<Q extends QueryName>(definition: QueryDefinition<Q>): QueryDefinition<Q> {
  return definition;
}

/** Keyset cursors are opaque strings to callers: base64url JSON of the last row's sort key. */
export function encodeCursor(values: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify(values)).toString('base64url');
}

export function decodeCursor(cursor: string | undefined, arity: number): (string | number)[] | null {
  if (cursor === undefined) return null;
  try {
    const values = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(values) && values.length === arity && values.every((v) => typeof v === 'string' || typeof v === 'number')) {
      return values as (string | number)[];
    }
  } catch {
    // fall through to the typed error below
  }
  throw new CursorError();
}

export class CursorError extends Error {
  constructor() {
    super('The page cursor is not valid; start again from the first page.');
    this.name = 'CursorError';
  }
}

/** Turns user text into an FTS5 query of prefix terms, so nothing the user types is parsed as FTS syntax. */
export function ftsQuery(text: string): string | null {
  const terms = text
    .normalize('NFKC')
    .split(/[^\p{L}\p{N}]+/u)
    .filter((term) => term.length > 0)
    .slice(0, 8);
  if (terms.length === 0) return null;
  return terms.map((term) => `"${term}"*`).join(' ');
}

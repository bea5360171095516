import type Database from 'better-sqlite3';
import type { z } from 'zod';
import type { QueryName, QueryResults, ReadModelName, querySchemas } from '../contract/index.ts';
import { WaybillError } from '../contract/waybillError.ts';
import { vocabularyTable } from '../readmodel/openReadModel.ts';

export type ReadConnections = Readonly<Record<ReadModelName, Database.Database>>;
export type ParsedParams<Q extends QueryName> = z.output<(typeof querySchemas)[Q]>;

/**
 * A query is a name and prepared statements over read models, each capped in rows by its own
 * LIMIT. Params arrive validated; the runner prepares once per set of read-model connections
 * (again after a rebuild swap).
 */
export interface QueryDefinition<Q extends QueryName> {
  name: Q;
  /** The read model whose freshness the answer reports and `minPosition` waits on. */
  readModel: ReadModelName;
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

/** A page cursor that is not one this query gave out: a typed VALIDATION error on params.after. */
export class CursorError extends WaybillError {
  constructor() {
    super('VALIDATION', 'The page cursor is not valid; start again from the first page.', { field: 'params.after' });
  }
}

/** The words of a search as the user typed them: at most 8, split at anything but letters and digits. */
function searchTerms(text: string): string[] {
  return text
    .normalize('NFKC')
    .split(/[^\p{L}\p{N}]+/u)
    .filter((term) => term.length > 0)
    .slice(0, 8);
}

/** One typed word as an FTS5 prefix term; quoted, so nothing the user types is parsed as FTS syntax. */
const prefixTerm = (term: string) => `"${term}"*`;

/** Turns user text into an FTS5 query of prefix terms (what ftsMatcher asks for when it cannot do better). */
export function ftsQuery(text: string): string | null {
  const terms = searchTerms(text);
  return terms.length === 0 ? null : terms.map(prefixTerm).join(' AND ');
}

/** The most words one typed prefix may stand for before the search leaves it a prefix query. */
export const MAX_PREFIX_WORDS = 16;

/**
 * Like ftsQuery, but cheap for common words. FTS5 answers a prefix term ("lee"*) by merging the
 * whole list of documents of every word that starts with it before it yields the newest one, so a
 * word in most documents cost 40 ms at 325,000 parcels, on the thread that also appends. Asked as
 * exact words the same lists are read newest first and stop at the page. So a prefix of plain
 * letters and digits (which the tokenizer only lower-cases) is looked up in the index's vocabulary
 * and asked as the words it stands for, when there are at most MAX_PREFIX_WORDS of them; any other
 * term, or a reader without the vocabulary table, keeps the prefix query. Same matches either way.
 */
export function ftsMatcher(db: Database.Database, ftsTable: string): (text: string) => string | null {
  let words: Database.Statement | null = null;
  try {
    words = db.prepare(`SELECT term FROM temp."${vocabularyTable(ftsTable)}" WHERE term >= ? AND term < ? LIMIT ${MAX_PREFIX_WORDS + 1}`).pluck();
  } catch {
    words = null; // no vocabulary on this connection: prefix queries as before
  }
  const expand = (term: string): string => {
    if (words === null || !/^[A-Za-z0-9]+$/.test(term)) return prefixTerm(term);
    const prefix = term.toLowerCase();
    const end = prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1);
    const found = words.all(prefix, end) as string[];
    if (found.length === 0 || found.length > MAX_PREFIX_WORDS) return prefixTerm(term);
    return found.length === 1 ? `"${found[0]}"` : `(${found.map((word) => `"${word}"`).join(' OR ')})`;
  };
  return (text) => {
    const terms = searchTerms(text);
    return terms.length === 0 ? null : terms.map(expand).join(' AND ');
  };
}

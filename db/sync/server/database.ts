import pg from 'pg';
import { WaybillError } from '../../contract/waybillError.ts';

/** Node or pg codes of a PostgreSQL that cannot be reached; SQLSTATE class 08 and these are the server going away or refusing connections. */
const unreachableCodes = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EPIPE', 'EAI_AGAIN', '57P01', '57P02', '57P03', '53300']);
const unreachableMessages = /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Connection ended unexpectedly/i;

/** Whether the error means PostgreSQL could not be reached (down, restarting, full), so a later retry may work. */
export function isUnreachable(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  if (typeof code === 'string' && (unreachableCodes.has(code) || code.startsWith('08'))) return true;
  if (error instanceof AggregateError) return error.errors.some(isUnreachable);
  return error instanceof Error && unreachableMessages.test(error.message);
}

/** A PostgreSQL that cannot be reached as an UNAVAILABLE error (retryable); anything else as it is. */
export function asUnavailable(error: unknown): unknown {
  if (error instanceof WaybillError || !isUnreachable(error)) return error;
  const reason = error instanceof Error && error.message ? error.message : String((error as { code?: unknown })?.code ?? error);
  return new WaybillError('UNAVAILABLE', `The sync server's PostgreSQL cannot be reached (${reason}). Try again in a moment.`, { retryable: true, cause: error });
}

/** A pool on the sync database. Connecting fails fast when PostgreSQL is down, and an idle connection that breaks is dropped, never thrown. */
export function openPool(databaseUrl: string, log: (line: string) => void = () => undefined, max = 10): pg.Pool {
  const pool = new pg.Pool({ connectionString: databaseUrl, max, connectionTimeoutMillis: 5000, idleTimeoutMillis: 30_000 });
  pool.on('error', (error) => log(`waybill sync: an idle PostgreSQL connection broke (${error.message})`));
  return pool;
}

/** Runs `work` in one transaction on one connection: committed when it returns, rolled back when it throws. */
export async function inTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  let client: pg.PoolClient;
  try {
    client = await pool.connect();
  } catch (error) {
    throw asUnavailable(error);
  }
  let broken = false;
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    broken = isUnreachable(error);
    if (!broken) await client.query('ROLLBACK').catch(() => (broken = true));
    throw asUnavailable(error);
  } finally {
    client.release(broken);
  }
}

/** One statement on the pool, with an unreachable PostgreSQL reported as UNAVAILABLE. */
export async function query<R extends pg.QueryResultRow>(pool: pg.Pool, text: string, values: unknown[] = []): Promise<R[]> {
  try {
    return (await pool.query<R>(text, values)).rows;
  } catch (error) {
    throw asUnavailable(error);
  }
}

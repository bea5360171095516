import pg from 'pg';

/** NOTIFY channel of new events: a nudge for long-polls to pull again, never the data itself (it has no replay). */
const CHANNEL = 'waybill_sync_events';
const RECONNECT_MS = { first: 100, most: 5000 };

/** Sent inside the push transaction: PostgreSQL delivers it at commit, so a nudged pull sees the events. */
export async function notifyNewEvents(client: pg.ClientBase, serverHead: number): Promise<void> {
  await client.query('SELECT pg_notify($1, $2)', [CHANNEL, String(serverHead)]);
}

export interface Nudges {
  /** Counts nudges; read it before a pull, then `after(seen)` returns at once when one came since. */
  readonly seen: number;
  /** Resolves at the next nudge after `seen`, after `ms`, or when `signal` aborts, whichever is first. */
  after(seen: number, ms: number, signal?: AbortSignal): Promise<void>;
  close(): Promise<void>;
}

/**
 * One LISTEN connection per server process. When it drops it reconnects (with a growing pause) and
 * wakes every waiter, since nudges sent meanwhile are lost; waiters re-check on their own anyway.
 */
export function listenForNudges(databaseUrl: string, log: (line: string) => void): Nudges {
  let seen = 0;
  let closed = false;
  let client: pg.Client | null = null;
  let pause = RECONNECT_MS.first;
  let retry: NodeJS.Timeout | undefined;
  const waiters = new Set<() => void>();
  const wake = () => {
    seen++;
    for (const waiter of [...waiters]) waiter();
  };

  const connect = async () => {
    const next = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 5000 });
    let dropped = false;
    const drop = (reason: string) => {
      if (dropped) return;
      dropped = true;
      if (client === next) client = null;
      void next.end().catch(() => undefined);
      if (closed) return;
      log(`waybill sync: the LISTEN connection dropped (${reason}); reconnecting in ${pause} ms`);
      wake();
      retry = setTimeout(() => void connect(), pause);
      pause = Math.min(pause * 2, RECONNECT_MS.most);
    };
    next.on('error', (error) => drop(error.message));
    next.on('end', () => drop('connection ended'));
    next.on('notification', wake);
    try {
      await next.connect();
      await next.query(`LISTEN ${CHANNEL}`);
    } catch (error) {
      drop(error instanceof Error ? error.message : String(error));
      return;
    }
    if (closed) {
      await next.end().catch(() => undefined);
      return;
    }
    client = next;
    pause = RECONNECT_MS.first;
    // Anything committed while it was away was not announced.
    wake();
  };
  void connect();

  return {
    get seen() {
      return seen;
    },
    after(since, ms, signal) {
      if (seen !== since || closed || signal?.aborted) return Promise.resolve();
      return new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          waiters.delete(done);
          signal?.removeEventListener('abort', done);
          resolve();
        };
        const timer = setTimeout(done, ms);
        waiters.add(done);
        signal?.addEventListener('abort', done, { once: true });
      });
    },
    async close() {
      closed = true;
      clearTimeout(retry);
      for (const waiter of [...waiters]) waiter();
      await client?.end().catch(() => undefined);
      client = null;
    },
  };
}

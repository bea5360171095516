import type { ReadModelName, WaybillErrorBody } from '../contract/index.ts';
import { readModelNames } from '../contract/index.ts';
import { WaybillError } from '../contract/waybillError.ts';
import type { ParsedParams } from '../queries/defineQuery.ts';
import type { ReadModelQueryName } from '../queries/index.ts';
import { PreparedQueries } from '../queries/preparedQueries.ts';
import type { ReadModelReaders } from '../readmodel/readModelReaders.ts';
import { startEntryThread, type BuiltFiles } from '../runtime/builtFiles.ts';
import type { Worker } from 'node:worker_threads';

/** Where named queries run: on the core's own thread, or in query threads of their own. */
export interface QueryService {
  run<Q extends ReadModelQueryName>(name: Q, params: ParsedParams<Q>): Promise<unknown>;
  /** A rebuild swapped `name`'s file: later queries read the new one. */
  reopen(name: ReadModelName): void;
  close(): Promise<void>;
}

export type ToQueryThread =
  | { kind: 'run'; id: number; name: ReadModelQueryName; params: unknown }
  | { kind: 'reopen'; name: ReadModelName; path: string }
  | { kind: 'close' };
export type FromQueryThread = { kind: 'answer'; id: number; data: unknown } | { kind: 'failed'; id: number; error: WaybillErrorBody };

/** Queries on the calling thread (the CLI, tests, a folder open read-only): the same prepared statements. */
export class InlineQueries implements QueryService {
  private readonly prepared: PreparedQueries;
  constructor(private readonly readers: ReadModelReaders) {
    this.prepared = new PreparedQueries(readers);
  }
  async run<Q extends ReadModelQueryName>(name: Q, params: ParsedParams<Q>): Promise<unknown> {
    return this.prepared.run(name, params);
  }
  reopen(name: ReadModelName): void {
    this.readers.reopen(name);
  }
  async close(): Promise<void> {}
}

interface QueryThread {
  worker: Worker;
  /** Queries sent and not yet answered. */
  busy: number;
}

/**
 * Query threads with read-only connections of their own (the apps): a query goes to the thread
 * with the fewest queries in hand, so a long one (a search over a big history, say) holds up only
 * the queries queued behind it on that thread, never the core's thread, its commands or its pushes.
 */
export class QueryPool implements QueryService {
  private readonly threads: QueryThread[] = [];
  private readonly pending = new Map<number, { thread: QueryThread; resolve: (data: unknown) => void; reject: (error: Error) => void }>();
  private nextId = 1;

  constructor(
    files: BuiltFiles,
    private readonly servingPath: (name: ReadModelName) => string,
    size: number,
  ) {
    const paths = Object.fromEntries(readModelNames.map((name) => [name, servingPath(name)]));
    for (let i = 0; i < size; i++) {
      const thread: QueryThread = { worker: startEntryThread(files, 'queryWorker', { paths }), busy: 0 };
      thread.worker.on('message', (message: FromQueryThread) => this.settle(message));
      thread.worker.on('error', (error) => this.failAll(thread, `A query thread failed: ${error.message}`));
      thread.worker.on('exit', (code) => this.failAll(thread, `A query thread stopped (exit code ${code}).`));
      this.threads.push(thread);
    }
  }

  run<Q extends ReadModelQueryName>(name: Q, params: ParsedParams<Q>): Promise<unknown> {
    const thread = this.threads.reduce((least, t) => (t.busy < least.busy ? t : least));
    const id = this.nextId++;
    thread.busy++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { thread, resolve, reject });
      thread.worker.postMessage({ kind: 'run', id, name, params } satisfies ToQueryThread);
    });
  }

  reopen(name: ReadModelName): void {
    const path = this.servingPath(name);
    // Each thread takes it before any query sent after it: messages to a thread arrive in order.
    for (const thread of this.threads) thread.worker.postMessage({ kind: 'reopen', name, path } satisfies ToQueryThread);
  }

  async close(): Promise<void> {
    await Promise.all(
      this.threads.map(async (thread) => {
        thread.worker.postMessage({ kind: 'close' } satisfies ToQueryThread);
        await thread.worker.terminate();
      }),
    );
  }

  private settle(message: FromQueryThread): void {
    const waiting = this.pending.get(message.id);
    if (!waiting) return;
    this.pending.delete(message.id);
    waiting.thread.busy--;
    if (message.kind === 'answer') waiting.resolve(message.data);
    else waiting.reject(new WaybillError(message.error.code, message.error.message, message.error));
  }

  private failAll(thread: QueryThread, reason: string): void {
    for (const [id, waiting] of this.pending) {
      if (waiting.thread !== thread) continue;
      this.pending.delete(id);
      waiting.reject(new WaybillError('UNAVAILABLE', `${reason} Try again.`, { retryable: true }));
    }
    thread.busy = 0;
  }
}

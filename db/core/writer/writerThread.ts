import type { Worker } from 'node:worker_threads';
import type { CommandResult, ValidCommandRequest, WaybillErrorBody } from '../../contract/index.ts';
import type { PulledEvent } from '../../contract/syncWire.ts';
import type { PullApplied } from '../../write/applyPulled.ts';
import { WaybillError } from '../../contract/waybillError.ts';
import type { Durability } from '../../log/openEventLog.ts';
import { startEntryThread, type BuiltFiles } from '../../runtime/builtFiles.ts';
import type { CommandWriter, ImportOutcome, SeedOutcome } from './commandWriter.ts';

export interface WriterThreadData {
  logPath: string;
  migrations: string;
  durability?: Durability;
  /** When the core has no background checkpointer, the writer checkpoints its own WAL. */
  autoCheckpoint: boolean;
  deviceId: string | null;
}

export type ToWriter =
  | { kind: 'record'; id: number; request: ValidCommandRequest; actor: string }
  | { kind: 'seed'; id: number; input: { events: number; seed: number } }
  | { kind: 'import'; id: number; from: string }
  | { kind: 'applyPulled'; id: number; page: readonly PulledEvent[] }
  | { kind: 'close' };

export type FromWriter =
  | { kind: 'opened' }
  | { kind: 'failed'; error: WaybillErrorBody }
  | { kind: 'answer'; id: number; answer: unknown }
  | { kind: 'refused'; id: number; error: WaybillErrorBody }
  | { kind: 'appended'; head: number; count: number }
  | { kind: 'seeding'; appended: number; target: number }
  | { kind: 'closed' };

/**
 * The log's writer in a thread of its own (db/entries/writer.ts): commands, seeding and imports
 * are appended there, one at a time in the order they came, while the core's thread goes on
 * answering queries and sending pushes.
 */
export class WriterThread implements CommandWriter {
  private readonly pending = new Map<number, { resolve: (answer: never) => void; reject: (error: Error) => void }>();
  private readonly listeners: ((head: number, count: number) => void)[] = [];
  private seedProgress: ((appended: number, target: number) => void) | null = null;
  private nextId = 1;
  private closed: Promise<void> | null = null;

  private constructor(private readonly worker: Worker) {
    worker.on('message', (message: FromWriter) => {
      switch (message.kind) {
        case 'answer':
          this.pending.get(message.id)?.resolve(message.answer as never);
          this.pending.delete(message.id);
          return;
        case 'refused':
          this.pending.get(message.id)?.reject(new WaybillError(message.error.code, message.error.message, message.error));
          this.pending.delete(message.id);
          return;
        case 'appended':
          for (const listener of this.listeners) listener(message.head, message.count);
          return;
        case 'seeding':
          this.seedProgress?.(message.appended, message.target);
          return;
      }
    });
    worker.on('exit', (code) => {
      for (const waiting of this.pending.values()) waiting.reject(new WaybillError('UNAVAILABLE', `The log's writer stopped (exit code ${code}); nothing more can be recorded in this session.`, { retryable: true }));
      this.pending.clear();
    });
  }

  /** Starts the thread and resolves once it has opened the log for writing. */
  static start(files: BuiltFiles, data: WriterThreadData): Promise<WriterThread> {
    const worker = startEntryThread(files, 'writer', data);
    return new Promise((resolve, reject) => {
      const opened = (message: FromWriter) => {
        if (message.kind === 'opened') resolve(new WriterThread(worker));
        else if (message.kind === 'failed') reject(new WaybillError(message.error.code, message.error.message, message.error));
        else return;
        worker.off('message', opened);
      };
      worker.on('message', opened);
      worker.once('error', reject);
    });
  }

  record(request: ValidCommandRequest, actor: string): Promise<CommandResult> {
    return this.ask((id) => ({ kind: 'record', id, request, actor }));
  }

  async seed(input: { events: number; seed: number }, progress: (appended: number, target: number) => void): Promise<SeedOutcome> {
    this.seedProgress = progress;
    try {
      return await this.ask<SeedOutcome>((id) => ({ kind: 'seed', id, input }));
    } finally {
      this.seedProgress = null;
    }
  }

  importFile(from: string): Promise<ImportOutcome> {
    return this.ask((id) => ({ kind: 'import', id, from }));
  }

  applyPulled(page: readonly PulledEvent[]): Promise<PullApplied> {
    return this.ask((id) => ({ kind: 'applyPulled', id, page }));
  }

  onAppended(listener: (head: number, count: number) => void): void {
    this.listeners.push(listener);
  }

  close(): Promise<void> {
    return (this.closed ??= new Promise<void>((resolve) => {
      this.worker.once('exit', () => resolve());
      this.worker.postMessage({ kind: 'close' } satisfies ToWriter);
    }));
  }

  private ask<T>(message: (id: number) => ToWriter): Promise<T> {
    if (this.closed) return Promise.reject(new WaybillError('UNAVAILABLE', 'Waybill is shutting down; nothing was recorded.', { retryable: true }));
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (answer: never) => void, reject });
      this.worker.postMessage(message(id));
    });
  }
}

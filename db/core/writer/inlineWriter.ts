import type Database from 'better-sqlite3';
import { CommandHandler } from '../../write/commandHandler.ts';
import type { PulledEvent } from '../../contract/syncWire.ts';
import { applyPulled } from '../../write/applyPulled.ts';
import { importEvents } from '../../write/importEvents.ts';
import type { CommandWriter } from './commandWriter.ts';
import { runSeed } from './runSeed.ts';

/** The log's writer on the calling thread (the CLI, tests): the same handler, seeding and import as the writer thread's. */
export class InlineWriter implements CommandWriter {
  private readonly handler: CommandHandler;
  private readonly listeners: ((head: number, count: number) => void)[] = [];

  constructor(
    private readonly db: Database.Database,
    private readonly deviceId: string | null,
    now: () => string,
  ) {
    this.handler = new CommandHandler(db, { now });
  }

  async record(request: Parameters<CommandWriter['record']>[0], actor: string) {
    const result = this.handler.handle(request, { actor, deviceId: this.deviceId });
    if (result.ok && !result.duplicate) this.appended(result.position, result.events.length);
    return result;
  }

  seed(input: { events: number; seed: number }, progress: (appended: number, target: number) => void) {
    return runSeed(input, (options) => new CommandHandler(this.db, options), this.deviceId, (head, count) => this.appended(head, count), progress);
  }

  async importFile(from: string) {
    const result = await importEvents(this.db, from);
    if (result.imported > 0) this.appended(result.head, result.imported);
    return result;
  }

  async applyPulled(page: readonly PulledEvent[]) {
    const result = applyPulled(this.db, page);
    if (result.appended > 0) this.appended(result.head, result.appended);
    return result;
  }

  /** The log's connection itself, for tests that limit or damage the log's file under the writer. */
  connection(): Database.Database {
    return this.db;
  }

  onAppended(listener: (head: number, count: number) => void): void {
    this.listeners.push(listener);
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }

  private appended(head: number, count: number): void {
    for (const listener of this.listeners) listener(head, count);
  }
}

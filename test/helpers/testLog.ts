// An event log on disk for the log specs: the real single writer and command handler, plus the
// plain connections an outside program would use.
import Database from 'better-sqlite3';
import { onTestFinished } from 'vitest';
import type { z } from 'zod';
import { commandRequestSchema, type CommandResult, type commandPayloadSchemas, type CommandType } from '../../db/contract/index.ts';
import { openLogWriter, type LogWriterOptions } from '../../db/log/openEventLog.ts';
import { CommandHandler } from '../../db/write/commandHandler.ts';

/** Who the log specs record as, and on which device. */
export const specOrigin = { actor: 'spec', deviceId: 'spec' };

export type PayloadInput<T extends CommandType> = z.input<(typeof commandPayloadSchemas)[T]>;
export type Accepted = Extract<CommandResult, { ok: true }>;
export type Rejected = Extract<CommandResult, { ok: false }>;

export interface TestLog {
  readonly path: string;
  readonly writer: Database.Database;
  readonly handler: CommandHandler;
  /** Runs a command and fails the test if it is rejected. */
  run<T extends CommandType>(type: T, payload: PayloadInput<T>): Accepted;
  close(): void;
}

/** Opens (creating and migrating) the log at `path` with the app's writer; closed when the test finishes. */
export function openTestLog(path: string, options: LogWriterOptions = {}): TestLog {
  const writer = openLogWriter(path, options);
  const handler = new CommandHandler(writer);
  let open = true;
  const log: TestLog = {
    path,
    writer,
    handler,
    run(type, payload) {
      const result = handler.handle(commandRequestSchema.parse({ type, payload }), specOrigin);
      if (!result.ok) throw new Error(`${type} was rejected: ${result.error.code} ${result.error.message}`);
      return result;
    },
    close() {
      if (open) writer.close();
      open = false;
    },
  };
  onTestFinished(() => log.close());
  return log;
}

/** A connection as an outside program opens it: default pragmas (recursive_triggers off), read-write. */
export function openPlainConnection(path: string): Database.Database {
  const db = new Database(path, { fileMustExist: true });
  onTestFinished(() => {
    if (db.open) db.close();
  });
  return db;
}

/** Every row of a table in rowid order, for before/after comparisons. */
export function tableRows(db: Database.Database, table: 'events' | 'commands' | 'reservations'): unknown[] {
  return db.prepare(`SELECT * FROM ${table} ORDER BY rowid`).all();
}

export function countEvents(db: Database.Database): number {
  return db.prepare('SELECT count(*) FROM events').pluck().get() as number;
}

export const parcelPayload = (n: number, depotId = 'north-hub'): PayloadInput<'RegisterParcel'> => ({
  parcelId: `P${n}`,
  trackingCode: `WB${String(n).padStart(6, '0')}`,
  recipient: { name: `Recipient ${n}`, street: `${n} Mill St`, city: 'Leeds', postcode: 'LS1 4AP' },
  originDepotId: depotId,
  destinationDepotId: depotId,
  weightKg: 1 + n / 10,
});

/** Two depots, a driver and `parcels` parcels registered at north-hub: enough history for most specs. */
export function recordBasics(log: TestLog, parcels = 3): void {
  log.run('RegisterDepot', { depotId: 'north-hub', name: 'North Hub', region: 'north' });
  log.run('RegisterDepot', { depotId: 'south', name: 'South Yard', region: 'south' });
  log.run('RegisterDriver', { driverId: 'sam', name: 'Sam Carter', homeDepotId: 'north-hub' });
  for (let n = 1; n <= parcels; n++) log.run('RegisterParcel', parcelPayload(n));
}

// An event log on disk for the log specs: the real single writer and command handler, plus the
// plain connections an outside program would use.
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onTestFinished } from 'vitest';
import type { z } from 'zod';
import { commandRequestSchema, issueToError, type CommandRequest, type CommandResult, type commandPayloadSchemas, type CommandType } from '../../db/contract/index.ts';
import { ensureDeviceId } from '../../db/log/deviceIdentity.ts';
import { openLogWriter, type LogWriterOptions } from '../../db/log/openEventLog.ts';
import { createUuidV7Generator } from '../../db/log/uuidv7.ts';
import { defaultBuiltFiles } from '../../db/runtime/builtFiles.ts';
import { CommandHandler, type CommandOrigin } from '../../db/write/commandHandler.ts';

/** Who the log specs record as (their device is the log's own, made at first open as the core makes it). */
export const SPEC_ACTOR = 'spec';

export type PayloadInput<T extends CommandType> = z.input<(typeof commandPayloadSchemas)[T]>;
export type Accepted = Extract<CommandResult, { ok: true }>;
export type Rejected = Extract<CommandResult, { ok: false }>;

export interface TestLog {
  readonly path: string;
  readonly writer: Database.Database;
  readonly handler: CommandHandler;
  /** The log's device id (its `device` row). */
  readonly deviceId: string;
  /** Who and where every command of the spec is recorded: actor `spec` on the log's device. */
  readonly origin: CommandOrigin;
  /** Sends a request as a caller would: validated as the core's boundary validates it, then handled. */
  handle(request: CommandRequest): CommandResult;
  /** Runs a command and fails the test if it is rejected. */
  run<T extends CommandType>(type: T, payload: PayloadInput<T>): Accepted;
  close(): void;
}

/** Opens (creating and migrating) the log at `path` with the app's writer; closed when the test finishes. */
export function openTestLog(path: string, options: LogWriterOptions = {}): TestLog {
  const writer = openLogWriter(path, options);
  const deviceId = ensureDeviceId(writer, createUuidV7Generator(), () => new Date().toISOString());
  const origin: CommandOrigin = { actor: SPEC_ACTOR, deviceId };
  const handler = new CommandHandler(writer);
  const handle = (request: CommandRequest): CommandResult => {
    const parsed = commandRequestSchema.safeParse(request);
    if (!parsed.success) return { ok: false, error: issueToError(parsed.error, request, { whole: 'input' }) };
    return handler.handle(parsed.data, origin);
  };
  let open = true;
  const log: TestLog = {
    path,
    writer,
    handler,
    deviceId,
    origin,
    handle,
    run(type, payload) {
      const result = handle({ type, payload } as CommandRequest);
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
export function tableRows(db: Database.Database, table: 'events' | 'commands' | 'reservations' | 'device'): unknown[] {
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

/** The log's tables as migrations 0000 and 0001 left them, before reservations and the device identity (0002). */
const MIGRATIONS_BEFORE_RESERVATIONS = 2;

/**
 * Writes at `path` a log as a Waybill from before migration 0002 left it: only migrations 0000 and
 * 0001 applied (by drizzle, recorded as they were), and `recordBasics`' history with its tracking
 * codes in their own guarded table. Closed when it returns.
 */
export function writeLogBefore0002(path: string, parcels = 3): void {
  const scratch = mkdtempSync(join(tmpdir(), 'waybill-old-log-'));
  try {
    const migrations = join(scratch, 'migrations');
    const known = defaultBuiltFiles().migrations;
    const journal = JSON.parse(readFileSync(join(known, 'meta', '_journal.json'), 'utf8')) as { entries: { idx: number; tag: string }[] };
    const entries = journal.entries.filter((entry) => entry.idx < MIGRATIONS_BEFORE_RESERVATIONS);
    mkdirSync(join(migrations, 'meta'), { recursive: true });
    writeFileSync(join(migrations, 'meta', '_journal.json'), JSON.stringify({ ...journal, entries }));
    for (const { tag } of entries) copyFileSync(join(known, `${tag}.sql`), join(migrations, `${tag}.sql`));

    // Today's code records the history; its rows are copied over as the old code stored them.
    const today = openTestLog(join(scratch, 'today.db'));
    recordBasics(today, parcels);
    today.close();

    const old = new Database(path);
    try {
      old.pragma('journal_mode = WAL');
      migrate(drizzle(old), { migrationsFolder: migrations });
      old.prepare('ATTACH DATABASE ? AS today').run(join(scratch, 'today.db'));
      old.exec(`INSERT INTO main.events SELECT * FROM today.events ORDER BY position;
        INSERT INTO main.commands SELECT * FROM today.commands ORDER BY rowid;
        INSERT INTO main.tracking_codes SELECT key, owner, position FROM today.reservations WHERE kind = 'tracking_code' ORDER BY rowid;`);
      old.exec('DETACH DATABASE today');
      old.pragma('wal_checkpoint(TRUNCATE)');
    } finally {
      old.close();
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

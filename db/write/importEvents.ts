import type Database from 'better-sqlite3';
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { z } from 'zod';
import { eventTypeNames, issueToError } from '../contract/index.ts';
import { upcasters } from '../domain/upcasters.ts';
import { WaybillError } from '../contract/waybillError.ts';
import { EventLogWriter } from '../log/eventLogWriter.ts';
import { createUuidV7Generator } from '../log/uuidv7.ts';
import { commandsOf, recordedElsewhereRequest } from './recordedElsewhere.ts';

/** One line of an export (db/log/exportEvents.ts). Its position is the other log's: here it gets one of its own. */
const lineSchema = z.object({
  eventId: z.string().regex(/^[0-9a-f-]{36}$/, 'must be a UUID'),
  streamId: z.string().min(1).max(100),
  type: z.enum(eventTypeNames),
  schemaVersion: z.number().int().min(1),
  recordedAt: z.iso.datetime({ offset: true }),
  payload: z.record(z.string(), z.unknown()),
  metadata: z.record(z.string(), z.unknown()),
});
type Line = z.infer<typeof lineSchema>;

async function readLines(file: string): Promise<Line[]> {
  const lines: Line[] = [];
  let lineNumber = 0;
  for await (const text of createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity })) {
    lineNumber++;
    if (text.trim() === '') continue;
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new WaybillError('VALIDATION', `Line ${lineNumber} is not JSON; nothing was imported.`, { field: `line.${lineNumber}` });
    }
    const parsed = lineSchema.safeParse(json);
    if (!parsed.success) {
      // Named for a person (Line 4: streamId is required) and, as a field, from the file's root (line.4.streamId).
      const error = issueToError(parsed.error, json, { whole: 'the line' });
      const field = error.field === undefined ? `line.${lineNumber}` : `line.${lineNumber}.${error.field}`;
      throw new WaybillError('VALIDATION', `Line ${lineNumber}: ${error.message.replace(/\.$/, '')}; nothing was imported.`, { field });
    }
    try {
      upcasters.upcast(parsed.data.type, parsed.data.schemaVersion, parsed.data.payload);
    } catch (error) {
      throw new WaybillError('VALIDATION', `Line ${lineNumber}: ${(error as Error).message}; nothing was imported.`, { field: `line.${lineNumber}` });
    }
    lines.push(parsed.data);
  }
  return lines;
}

/**
 * Imports an export (another laptop's log, say) through the one append path, idempotently by event
 * id: events already here are skipped; the others are appended after this log's head in file order,
 * command by command, each stream at its own next version, recorded no earlier than this device's last
 * event. A tracking code another parcel already holds here stays that parcel's. All or nothing: one
 * bad line changes nothing.
 */
export async function importEvents(writer: Database.Database, file: string): Promise<{ imported: number; skipped: number; head: number }> {
  const lines = await readLines(file);
  const log = new EventLogWriter(writer, upcasters);
  const newId = createUuidV7Generator();
  return log.transaction(() => {
    let imported = 0;
    let skipped = 0;
    for (const group of commandsOf(lines)) {
      const fresh = group.filter((line) => !log.hasEvent(line.eventId));
      skipped += group.length - fresh.length;
      if (fresh.length === 0) continue;
      log.append(recordedElsewhereRequest(newId, 'Imported', fresh));
      imported += fresh.length;
    }
    return { imported, skipped, head: log.head() };
  });
}

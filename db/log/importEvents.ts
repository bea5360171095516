import type Database from 'better-sqlite3';
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { z } from 'zod';
import { eventTypeNames } from '../contract.ts';
import { upcasters } from '../domain/upcasters.ts';
import { WaybillError } from '../errors.ts';
import { eventHash, GENESIS_HASH } from './eventHash.ts';

const lineSchema = z.object({
  eventId: z.string().regex(/^[0-9a-f-]{36}$/, 'must be a UUID'),
  streamId: z.string().min(1).max(100),
  version: z.number().int().min(1),
  type: z.enum(eventTypeNames),
  schemaVersion: z.number().int().min(1),
  recordedAt: z.iso.datetime({ offset: true }),
  payload: z.record(z.string(), z.unknown()),
  metadata: z.record(z.string(), z.unknown()),
});

/**
 * Imports an export (another laptop's log, say) into this one, idempotently by event id: events
 * already here are skipped, new ones are appended after this log's head in their file order,
 * each stream continuing at its own next version. All or nothing: one bad line changes nothing.
 */
export async function importEvents(writer: Database.Database, file: string): Promise<{ imported: number; skipped: number; head: number }> {
  const lines: z.infer<typeof lineSchema>[] = [];
  let lineNumber = 0;
  for await (const text of createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity })) {
    lineNumber++;
    if (text.trim() === '') continue;
    let parsed: z.ZodSafeParseResult<z.infer<typeof lineSchema>>;
    try {
      parsed = lineSchema.safeParse(JSON.parse(text));
    } catch {
      throw new WaybillError('VALIDATION', `Line ${lineNumber} is not JSON; nothing was imported.`, { field: `line.${lineNumber}` });
    }
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new WaybillError('VALIDATION', `Line ${lineNumber}: ${issue.path.join('.')} ${issue.message}; nothing was imported.`, {
        field: `line.${lineNumber}.${issue.path.join('.')}`,
      });
    }
    try {
      upcasters.upcast(parsed.data.type, parsed.data.schemaVersion, parsed.data.payload);
    } catch (error) {
      throw new WaybillError('VALIDATION', `Line ${lineNumber}: ${(error as Error).message}; nothing was imported.`, { field: `line.${lineNumber}` });
    }
    lines.push(parsed.data);
  }

  const exists = writer.prepare('SELECT 1 FROM events WHERE event_id = ?').pluck();
  const streamVersion = writer.prepare('SELECT coalesce(max(version), 0) FROM events WHERE stream_id = ?').pluck();
  const last = writer.prepare('SELECT position, hash FROM events ORDER BY position DESC LIMIT 1');
  const codeOwner = writer.prepare('SELECT parcel_id FROM tracking_codes WHERE tracking_code = ?').pluck();
  const insertCode = writer.prepare('INSERT INTO tracking_codes (tracking_code, parcel_id, position) VALUES (?, ?, ?)');
  const insert = writer.prepare(
    `INSERT INTO events (position, event_id, stream_id, version, type, schema_version, payload, metadata, recorded_at, correlation_id, command_id, hash)
     VALUES (@position, @eventId, @streamId, @version, @type, @schemaVersion, @payload, @metadata, @recordedAt, @correlationId, @commandId, @hash)`,
  );
  return writer.transaction(() => {
    const tail = last.get() as { position: number; hash: string } | undefined;
    let position = tail?.position ?? 0;
    let previousHash = tail?.hash ?? GENESIS_HASH;
    const versions = new Map<string, number>();
    let imported = 0;
    let skipped = 0;
    for (const line of lines) {
      if (exists.get(line.eventId)) {
        skipped++;
        continue;
      }
      const version = (versions.get(line.streamId) ?? (streamVersion.get(line.streamId) as number)) + 1;
      versions.set(line.streamId, version);
      position++;
      const row = {
        position,
        eventId: line.eventId,
        streamId: line.streamId,
        version,
        type: line.type,
        schemaVersion: line.schemaVersion,
        payload: JSON.stringify(line.payload),
        metadata: JSON.stringify(line.metadata),
        recordedAt: line.recordedAt,
        correlationId: typeof line.metadata.correlationId === 'string' ? line.metadata.correlationId : null,
        commandId: typeof line.metadata.commandId === 'string' ? line.metadata.commandId : null,
        hash: '',
      };
      row.hash = eventHash(previousHash, row);
      previousHash = row.hash;
      insert.run(row);
      if (line.type === 'ParcelRegistered') {
        const code = line.payload.trackingCode;
        if (typeof code === 'string' && codeOwner.get(code) === undefined) insertCode.run(code, String(line.payload.parcelId), position);
      }
      imported++;
    }
    return { imported, skipped, head: position };
  }).immediate();
}

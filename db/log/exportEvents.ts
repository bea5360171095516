import type Database from 'better-sqlite3';
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { EVENT_COLUMNS, type EventRecord } from './eventRows.ts';

/** One line per event, in log order: the whole envelope with the payload and metadata as stored. */
export interface ExportedEvent extends Omit<EventRecord, 'payload' | 'metadata' | 'hash'> {
  payload: unknown;
  metadata: unknown;
}

export async function exportEvents(log: Database.Database, file: string): Promise<{ events: number }> {
  const out = createWriteStream(file, { encoding: 'utf8' });
  let events = 0;
  // A read transaction gives one consistent snapshot while appends continue elsewhere.
  log.exec('BEGIN');
  try {
    for (const row of log.prepare(`SELECT ${EVENT_COLUMNS} FROM events ORDER BY position`).iterate() as IterableIterator<EventRecord>) {
      const line: ExportedEvent = {
        position: row.position,
        eventId: row.eventId,
        streamId: row.streamId,
        version: row.version,
        type: row.type,
        schemaVersion: row.schemaVersion,
        recordedAt: row.recordedAt,
        payload: JSON.parse(row.payload),
        metadata: JSON.parse(row.metadata),
      };
      if (!out.write(`${JSON.stringify(line)}\n`)) await once(out, 'drain');
      events++;
    }
  } finally {
    log.exec('COMMIT');
  }
  out.end();
  await once(out, 'finish');
  return { events };
}

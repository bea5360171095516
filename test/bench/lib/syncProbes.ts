// Where a pull's time goes, page by page: the request (server, PostgreSQL, loopback), reading the
// answer on the laptop (JSON and the wire schema), and storing the page (applyPulled's one SQLite
// transaction), with the laptop's own client and applyPulled on a fresh log, at any page size.
import { join } from 'node:path';
import { MAX_PULL_EVENTS } from '../../../db/contract/syncWire.ts';
import { startLogCheckpointer } from '../../../db/core/logCheckpointer.ts';
import { enrol, SyncServerClient } from '../../../db/core/sync/syncServerClient.ts';
import { openLogWriter } from '../../../db/log/openEventLog.ts';
import type { BuiltFiles } from '../../../db/runtime/builtFiles.ts';
import { applyPulled, pullCursor } from '../../../db/write/applyPulled.ts';
import { enrolDevice } from '../../../db/sync/server/index.ts';
import { createUuidV7Generator } from '../../../db/log/uuidv7.ts';
import { sleep } from './stats.ts';
import type { WireRecorder } from './syncWireTimes.ts';

export interface PagedPull {
  pageSize: number;
  events: number;
  pages: number;
  seconds: number;
  /** Totals over the pages, in seconds. */
  request: number;
  read: number;
  store: number;
  /** Pages the server refused as too many requests (waited out and asked again). */
  rateLimited: number;
}

/** A new device pulls everything the server holds into a fresh log at `pageSize`, each page's three parts timed. */
export async function pagedPull(input: { databaseUrl: string; serverUrl: string; dir: string; name: string; pageSize: number; wire: WireRecorder; files: BuiltFiles }): Promise<PagedPull> {
  const { pageSize, wire } = input;
  if (pageSize > MAX_PULL_EVENTS) throw new Error(`a pull page holds at most ${MAX_PULL_EVENTS} events`);
  const logFile = join(input.dir, 'events.db');
  const writer = openLogWriter(logFile, { migrationsFolder: input.files.migrations });
  const checkpointer = startLogCheckpointer(input.files, logFile);
  const deviceId = createUuidV7Generator()();
  const { code } = await enrolDevice(input.databaseUrl, input.name);
  const enrolled = await enrol(input.serverUrl, code, deviceId);
  if (!enrolled.ok) throw new Error(`${input.name} could not enrol: ${enrolled.error.message}`);
  const client = new SyncServerClient({ server: input.serverUrl, serverId: enrolled.serverId, deviceId, deviceName: input.name, secret: enrolled.secret, joinedAt: new Date().toISOString() }, () => 0);
  const result: PagedPull = { pageSize, events: 0, pages: 0, seconds: 0, request: 0, read: 0, store: 0, rateLimited: 0 };
  wire.take();
  const t0 = performance.now();
  try {
    for (;;) {
      const asked = performance.now();
      const answer = await client.pull(pullCursor(writer), pageSize, 0);
      const read = performance.now();
      const request = wire.take().at(-1)!;
      if (!answer.ok) {
        if (answer.error.rule !== 'rate_limited') throw new Error(`${input.name}'s pull was refused: ${answer.error.message}`);
        result.rateLimited++;
        await sleep(1000);
        continue;
      }
      if (answer.events.length === 0) break;
      applyPulled(writer, answer.events);
      const stored = performance.now();
      result.pages++;
      result.events += answer.events.length;
      result.request += (request.end - asked) / 1000;
      result.read += (read - request.end) / 1000;
      result.store += (stored - read) / 1000;
    }
    result.seconds = (performance.now() - t0) / 1000;
    return result;
  } finally {
    await checkpointer.stop();
    writer.close();
  }
}

// Laptops of the sync benchmark: seeded folders of their own devices, joined to a server as a person
// joins them, and a push through the laptop's own client without the pull that sync.now adds.
import type Database from 'better-sqlite3';
import type { SyncStatus } from '../../../db/contract/index.ts';
import { MAX_PUSH_EVENTS } from '../../../db/contract/syncWire.ts';
import { enrol, SyncServerClient } from '../../../db/core/sync/syncServerClient.ts';
import { deviceIdOf } from '../../../db/log/deviceIdentity.ts';
import { openLogReader } from '../../../db/log/openEventLog.ts';
import { deviceEventsAfter, deviceHead } from '../../../db/log/originEvents.ts';
import type { BuiltFiles } from '../../../db/runtime/builtFiles.ts';
import { enrolDevice } from '../../../db/sync/server/index.ts';
import { openBenchCore, type BenchCore } from './benchCore.ts';
import { logPath } from './dataset.ts';
import { sleep } from './stats.ts';

/** A new data folder (a device of its own: fresh event ids, its own chain) with about `events` seeded events in its log; read models are left unbuilt. */
export async function seedLaptop(dataDir: string, events: number, seed: number, files: BuiltFiles): Promise<number> {
  const laptop = await openBenchCore({ dataDir, projectors: 'inline', files });
  try {
    const seeded = await laptop.call('seed', { events, seed });
    if (!seeded.ok) throw new Error(`seeding ${dataDir} failed: ${seeded.error.message}`);
    return seeded.events;
  } finally {
    await laptop.close();
  }
}

/** A one-time code for a device called `name`, as the server's administrator makes one. */
export async function enrolmentCode(databaseUrl: string, name: string): Promise<string> {
  return (await enrolDevice(databaseUrl, name)).code;
}

/** Joins the laptop with a code through sync.join, as a person does. */
export async function joinFleet(laptop: BenchCore, serverUrl: string, code: string): Promise<void> {
  const joined = await laptop.call('sync.join', { server: serverUrl, code });
  if (!joined.ok) throw new Error(`the laptop could not join ${serverUrl}: ${joined.error.message}`);
}

/**
 * sync.now until it succeeds, as a person presses Sync now again: the server may refuse a device
 * more than its rate limit of requests (each refusal counted and waited out); anything else throws.
 * Returns how sync stands after it (acked: everything pushed; cursor: every server event placed here).
 */
export async function syncNow(laptop: BenchCore, name: string): Promise<{ status: SyncStatus; rateLimited: number }> {
  for (let rateLimited = 0; ; rateLimited++) {
    const answer = await laptop.call('sync.now', {});
    if (answer.ok) return { status: answer.status, rateLimited };
    if (answer.error.rule !== 'rate_limited') throw new Error(`sync.now of ${name} failed: ${answer.error.code} ${answer.error.rule ?? ''} ${answer.error.message}`);
    await sleep(1000);
  }
}

export interface DirectPusher {
  deviceId: string;
  events: number;
  /** Pushes every event of the folder's device, batch after batch, as LaptopSync's push does. */
  pushAll(): Promise<number>;
  close(): void;
}

/**
 * A seeded folder's device enrolled on the server, pushing through the laptop's client
 * (deviceEventsAfter + SyncServerClient.push, LaptopSync's push loop) without pulling back, so
 * ten of them measure the server's intake and not ten laptops pulling each other's events.
 */
export async function directPusher(dataDir: string, databaseUrl: string, serverUrl: string, name: string): Promise<DirectPusher> {
  const log: Database.Database = openLogReader(logPath(dataDir));
  const deviceId = deviceIdOf(log)!;
  const code = await enrolmentCode(databaseUrl, name);
  const enrolled = await enrol(serverUrl, code, deviceId);
  if (!enrolled.ok) throw new Error(`${name} could not enrol: ${enrolled.error.message}`);
  const membership = { server: serverUrl, serverId: enrolled.serverId, deviceId, deviceName: name, secret: enrolled.secret, joinedAt: new Date().toISOString() };
  const head = deviceHead(log, deviceId);
  const client = new SyncServerClient(membership, () => head);
  return {
    deviceId,
    events: head,
    async pushAll() {
      let acked = 0;
      for (;;) {
        const events = deviceEventsAfter(log, deviceId, acked, MAX_PUSH_EVENTS);
        if (events.length === 0) return acked;
        const answer = await client.push(events);
        if (!answer.ok) throw new Error(`${name}'s push after ${acked} was refused: ${answer.error.code} ${answer.error.rule ?? ''} ${answer.error.message}`);
        acked = answer.acked;
      }
    },
    close: () => log.close(),
  };
}

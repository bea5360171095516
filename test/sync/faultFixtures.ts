// Test support for the sync fault specs: laptops joined to a server (often through a proxy), what
// the server's PostgreSQL holds, and waiting on the `sync` push topic for a status.
import pg from 'pg';
import { expect, onTestFinished } from 'vitest';
import type { SyncStatus } from '../../db/contract/index.ts';
import { enrolDevice, listDevices } from '../../db/sync/server/index.ts';
import { tempDataDir } from '../helpers/tempDataDir.ts';
import { openTestCore, type TestCore } from '../helpers/testCore.ts';

/** A data folder (removed after the test) open in this process with inline projectors, enrolled with the server's database and joined at `serverUrl`. */
export async function joinedLaptop(name: string, serverUrl: string, databaseUrl: string): Promise<TestCore> {
  const laptop = await openTestCore({ dataDir: tempDataDir(name).path, projectors: 'inline' });
  onTestFinished(() => laptop.close());
  const { code } = await enrolDevice(databaseUrl, name);
  expect(await laptop.call('sync.join', { server: serverUrl, code })).toMatchObject({ ok: true, status: { joined: true, deviceName: name } });
  return laptop;
}

/** Records a depot and `parcels` parcels under `prefix` (so laptops never share ids): 1 + parcels events. */
export async function recordParcels(laptop: TestCore, prefix: string, parcels: number): Promise<void> {
  expect(await laptop.command({ type: 'RegisterDepot', payload: { depotId: `${prefix}-depot`, name: `${prefix} depot`, region: 'north' } })).toMatchObject({ ok: true });
  for (let n = 1; n <= parcels; n++) {
    const parcel = {
      parcelId: `${prefix}-P${n}`,
      trackingCode: `${prefix.toUpperCase()}${String(n).padStart(6, '0')}`,
      recipient: { name: `Recipient ${n}`, street: `${n} Mill St`, city: 'Leeds', postcode: 'LS1 4AP' },
      originDepotId: `${prefix}-depot`,
      destinationDepotId: `${prefix}-depot`,
      weightKg: 2,
    };
    expect(await laptop.command({ type: 'RegisterParcel', payload: parcel })).toMatchObject({ ok: true });
  }
}

export interface ServerHolding {
  /** Rows for the device, and how many distinct event ids among them. */
  events: number;
  eventIds: number;
  /** Its highest device sequence stored (with `events` equal to it, and the (device, seq) unique, they are 1..n). */
  lastDeviceSeq: number;
  /** What the server acknowledged to the device (listDevices). */
  acked: number;
  quarantined: number;
  /** Server sequences of all events are 1..head, one each. */
  serverOrderDense: boolean;
}

/** What the server's PostgreSQL holds of one device, read directly. */
export async function serverHolding(databaseUrl: string, deviceId: string): Promise<ServerHolding> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const [held] = (
      await client.query<{ events: number; event_ids: number; last_device_seq: number; quarantined: number; dense: boolean }>(
        `SELECT (SELECT count(*)::int FROM events WHERE device_id = $1) AS events,
                (SELECT count(DISTINCT event_id)::int FROM events WHERE device_id = $1) AS event_ids,
                (SELECT coalesce(max(device_seq), 0)::int FROM events WHERE device_id = $1) AS last_device_seq,
                (SELECT count(*)::int FROM quarantine WHERE device_id = $1) AS quarantined,
                (SELECT count(*) = coalesce(max(server_seq), 0) AND count(*) = count(DISTINCT server_seq) AND count(*) = (SELECT last_seq FROM server_counter) FROM events) AS dense`,
        [deviceId],
      )
    ).rows;
    const device = (await listDevices(databaseUrl)).find((d) => d.deviceId === deviceId);
    return { events: held!.events, eventIds: held!.event_ids, lastDeviceSeq: held!.last_device_seq, acked: device?.acked ?? 0, quarantined: held!.quarantined, serverOrderDense: held!.dense };
  } finally {
    await client.end();
  }
}

/** The server holds the device's `count` events once each, acknowledged, in a dense order, nothing quarantined. */
export const heldOnce = (count: number): ServerHolding => ({ events: count, eventIds: count, lastDeviceSeq: count, acked: count, quarantined: 0, serverOrderDense: true });

export interface RowLock {
  /** Resolves once another session waits for the lock (PostgreSQL has no event for it: each look is one query, a bounded number of them). */
  waitedFor(): Promise<void>;
  release(): Promise<void>;
}

/** Locks rows of the server's database in a transaction of the test's own (`lockingSelect` is a SELECT … FOR UPDATE) until `release`, or the end of the test. */
export async function lockRows(databaseUrl: string, lockingSelect: string, values: unknown[] = []): Promise<RowLock> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  await client.query('BEGIN');
  await client.query(lockingSelect, values);
  let released: Promise<void> | undefined;
  const release = () => (released ??= client.query('COMMIT').then(() => client.end()));
  onTestFinished(release);
  return {
    async waitedFor() {
      for (let look = 0; look < 10_000; look++) {
        const { rows } = await client.query<{ n: number }>('SELECT count(*)::int AS n FROM pg_stat_activity WHERE pg_backend_pid() = ANY(pg_blocking_pids(pid))');
        if (rows[0]!.n > 0) return;
      }
      throw new Error(`Nobody came to wait for the lock of ${lockingSelect}.`);
    },
    release,
  };
}

/** How long a status is waited for before the spec fails with the last one seen (a guard: the specs never wait on time otherwise). */
const GUARD_MS = 45_000;

/** Resolves with the first sync status (now, or pushed on the `sync` topic) that `wanted` accepts. */
export function syncStatusWhere(laptop: TestCore, wanted: (status: SyncStatus) => boolean, what: string): Promise<SyncStatus> {
  return new Promise((resolve, reject) => {
    let last: SyncStatus | null = null;
    let settled = false;
    const settle = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(guard);
      stop();
      outcome();
    };
    const check = (status: SyncStatus) => {
      last = status;
      if (wanted(status)) settle(() => resolve(status));
    };
    const guard = setTimeout(() => settle(() => reject(new Error(`The laptop's sync never got ${what}; the last status was ${JSON.stringify(last)}`))), GUARD_MS);
    const stop = laptop.subscribe('sync', check);
    void laptop.call('sync.status', {}).then((answer) => {
      if (answer.ok) check(answer.status);
    });
  });
}

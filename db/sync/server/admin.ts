// What the administrator does, over the database URL (the CLI's sync-server actions): each call
// migrates first, so it works before the server ever started.
import { and, count, eq, isNotNull, isNull, sql } from 'drizzle-orm';
import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import { WaybillError } from '../../contract/waybillError.ts';
import { asUnavailable, openPool } from './database.ts';
import { migrateSyncStore } from './migrateSyncStore.ts';
import { devices, quarantine, serverCounter, serverIdentity } from './schema.ts';
import { DEFAULT_SKEW_THRESHOLD_MS } from './skew.ts';
import { deviceListing, type DeviceListing } from './store/deviceListing.ts';
import { createEnrolmentCode } from './store/enrolment.ts';

const DEFAULT_EXPIRY_MINUTES = 15;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

async function withStore<T>(databaseUrl: string, work: (db: NodePgDatabase, pool: ReturnType<typeof openPool>) => Promise<T>): Promise<T> {
  await migrateSyncStore(databaseUrl);
  const pool = openPool(databaseUrl, undefined, 2);
  try {
    return await work(drizzle(pool), pool);
  } catch (error) {
    throw asUnavailable(error);
  } finally {
    await pool.end();
  }
}

/** A one-time code (shown once, kept hashed) that enrols one laptop as `name`. */
export async function enrolDevice(databaseUrl: string, name: string, options: { expiresInMinutes?: number; now?: Date } = {}): Promise<{ code: string; expiresAt: string }> {
  const trimmed = name.trim();
  if (trimmed === '' || trimmed.length > 100) throw new WaybillError('VALIDATION', 'The device name must be 1 to 100 characters.', { field: 'device' });
  const minutes = options.expiresInMinutes ?? DEFAULT_EXPIRY_MINUTES;
  if (!Number.isFinite(minutes) || minutes <= 0 || minutes > 7 * 24 * 60) {
    throw new WaybillError('VALIDATION', 'An enrolment code expires in more than 0 and at most 10080 minutes (a week).', { field: 'expires-in' });
  }
  const now = options.now ?? new Date();
  const expiresAt = new Date(now.getTime() + minutes * 60_000);
  return withStore(databaseUrl, async (_db, pool) => ({ code: await createEnrolmentCode(pool, trimmed, now, expiresAt), expiresAt: expiresAt.toISOString() }));
}

/** Revokes a device by id, or by name when one enrolled device has it: its secret stops working and it cannot enrol again. */
export async function revokeDevice(databaseUrl: string, idOrName: string, options: { now?: Date } = {}): Promise<{ deviceId: string; name: string; revokedAt: string }> {
  return withStore(databaseUrl, async (db) => {
    const named = UUID.test(idOrName) ? eq(devices.deviceId, idOrName) : and(eq(devices.name, idOrName), isNull(devices.revokedAt));
    const found = await db.select({ deviceId: devices.deviceId, name: devices.name, revokedAt: devices.revokedAt }).from(devices).where(named);
    if (found.length === 0) throw new WaybillError('NOT_FOUND', `No enrolled device is called or numbered ${idOrName}. List them with waybill sync-server devices.`, { field: 'device' });
    if (found.length > 1) {
      throw new WaybillError('CONFLICT', `${found.length} enrolled devices are called ${idOrName} (${found.map((d) => d.deviceId).join(', ')}): revoke one by its id.`, {
        field: 'device',
        rule: 'ambiguous_name',
      });
    }
    const device = found[0]!;
    const [revoked] = await db
      .update(devices)
      .set({ revokedAt: sql`coalesce(${devices.revokedAt}, ${(options.now ?? new Date()).toISOString()}::timestamptz)` })
      .where(eq(devices.deviceId, device.deviceId))
      .returning({ revokedAt: devices.revokedAt });
    return { deviceId: device.deviceId, name: device.name, revokedAt: revoked!.revokedAt!.toISOString() };
  });
}

export type { DeviceListing } from './store/deviceListing.ts';

/** Every device ever enrolled, oldest first, with how it stands (last seen, pending, clock skew, fork). */
export async function listDevices(databaseUrl: string, options: { skewThresholdMs?: number } = {}): Promise<DeviceListing[]> {
  return withStore(databaseUrl, (_db, pool) => deviceListing(pool, options.skewThresholdMs ?? DEFAULT_SKEW_THRESHOLD_MS));
}

export interface ServerStatus {
  serverId: string;
  /** The last server sequence handed out. */
  head: number;
  /** Enrolled devices, revoked ones left out. */
  devices: number;
  /** Devices flagged as forked. */
  forks: number;
  /** Copies kept in quarantine. */
  quarantined: number;
}

export async function serverStatus(databaseUrl: string): Promise<ServerStatus> {
  return withStore(databaseUrl, async (db) => {
    const [[identity], [counter], [enrolled], [forked], [kept]] = await Promise.all([
      db.select({ serverId: serverIdentity.serverId }).from(serverIdentity),
      db.select({ head: serverCounter.lastSeq }).from(serverCounter),
      db.select({ n: count() }).from(devices).where(isNull(devices.revokedAt)),
      db.select({ n: count() }).from(devices).where(isNotNull(devices.forkedAt)),
      db.select({ n: count() }).from(quarantine),
    ]);
    return { serverId: identity!.serverId, head: counter!.head, devices: enrolled!.n, forks: forked!.n, quarantined: kept!.n };
  });
}

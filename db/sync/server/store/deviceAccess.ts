import type pg from 'pg';
import { query } from '../database.ts';

export interface DeviceCredentials {
  deviceId: string;
  name: string;
  secretSha256: string;
  revoked: boolean;
}

export async function findDeviceCredentials(pool: pg.Pool, deviceId: string): Promise<DeviceCredentials | null> {
  const rows = await query<{ name: string; secret_sha256: string; revoked_at: Date | null }>(pool, 'SELECT name, secret_sha256, revoked_at FROM devices WHERE device_id = $1', [deviceId]);
  const row = rows[0];
  return row ? { deviceId, name: row.name, secretSha256: row.secret_sha256, revoked: row.revoked_at !== null } : null;
}

/** What every authenticated request says about its device: when it was seen, how far its log goes, how far its clock is off. */
export async function recordDeviceVisit(pool: pg.Pool, deviceId: string, visit: { seenAt: Date; reportedHead: number; skewMs: number }): Promise<void> {
  await query(pool, 'UPDATE devices SET last_seen_at = $2, reported_head = $3, skew_ms = $4 WHERE device_id = $1', [deviceId, visit.seenAt, visit.reportedHead, visit.skewMs]);
}

export interface DeviceStanding {
  deviceId: string;
  name: string;
  acked: number;
  serverHead: number;
  serverId: string;
}

export async function deviceStanding(pool: pg.Pool, deviceId: string): Promise<DeviceStanding | null> {
  const rows = await query<{ name: string; acked_seq: string; last_seq: string; server_id: string }>(
    pool,
    `SELECT d.name, d.acked_seq, c.last_seq, s.server_id
     FROM devices d, server_counter c, server_identity s
     WHERE d.device_id = $1 AND c.singleton = 1 AND s.singleton = 1`,
    [deviceId],
  );
  const row = rows[0];
  return row ? { deviceId, name: row.name, acked: Number(row.acked_seq), serverHead: Number(row.last_seq), serverId: row.server_id } : null;
}

import type pg from 'pg';
import { ORIGIN_GENESIS_HASH } from '../../../log/originHash.ts';
import { inTransaction, query } from '../database.ts';
import { SyncRefusal } from '../refusal.ts';
import { newDeviceSecret, newEnrolmentCode, normalizeEnrolmentCode, sha256Hex } from '../secrets.ts';

const askForAnother = 'Ask the sync server administrator for a new one (waybill sync-server enroll --device NAME).';

/** A new one-time code for a device to be called `name`; only its hash is stored. */
export async function createEnrolmentCode(pool: pg.Pool, name: string, now: Date, expiresAt: Date): Promise<string> {
  const code = newEnrolmentCode();
  await query(pool, 'INSERT INTO enrolment_codes (code_sha256, device_name, created_at, expires_at) VALUES ($1, $2, $3, $4)', [
    sha256Hex(normalizeEnrolmentCode(code)),
    name,
    now,
    expiresAt,
  ]);
  return code;
}

export interface Enrolment {
  deviceId: string;
  name: string;
  secret: string;
  serverId: string;
}

/**
 * Spends a code on a device: a new device is enrolled, an enrolled one gets a new secret (the old
 * one stops working), a revoked one is refused and the code is left unspent.
 */
export async function redeemEnrolmentCode(pool: pg.Pool, code: string, deviceId: string, now: Date): Promise<Enrolment> {
  return inTransaction(pool, async (client) => {
    const found = (
      await client.query<{ device_name: string; expires_at: Date; used_at: Date | null }>(
        'SELECT device_name, expires_at, used_at FROM enrolment_codes WHERE code_sha256 = $1 FOR UPDATE',
        [sha256Hex(normalizeEnrolmentCode(code))],
      )
    ).rows[0];
    if (!found) throw new SyncRefusal('FORBIDDEN', `This enrolment code is not one the sync server made. Check it for typing errors, or: ${askForAnother}`, { field: 'code', rule: 'unknown_code' });
    if (found.used_at) throw new SyncRefusal('FORBIDDEN', `This enrolment code has already been used: each code enrols one device once. ${askForAnother}`, { field: 'code', rule: 'code_used' });
    if (found.expires_at.getTime() <= now.getTime()) {
      throw new SyncRefusal('FORBIDDEN', `This enrolment code expired at ${found.expires_at.toISOString()}. ${askForAnother}`, { field: 'code', rule: 'code_expired' });
    }
    const existing = (await client.query<{ revoked_at: Date | null }>('SELECT revoked_at FROM devices WHERE device_id = $1 FOR UPDATE', [deviceId])).rows[0];
    if (existing?.revoked_at) {
      throw new SyncRefusal('FORBIDDEN', `This device was revoked on the sync server at ${existing.revoked_at.toISOString()} and cannot enrol again; nothing was changed.`, { rule: 'revoked' });
    }
    const secret = newDeviceSecret();
    await client.query(
      `INSERT INTO devices (device_id, name, secret_sha256, enrolled_at, chain_head) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (device_id) DO UPDATE SET name = excluded.name, secret_sha256 = excluded.secret_sha256`,
      [deviceId, found.device_name, sha256Hex(secret), now, ORIGIN_GENESIS_HASH],
    );
    await client.query('UPDATE enrolment_codes SET used_at = $2, used_by = $3 WHERE code_sha256 = $1', [sha256Hex(normalizeEnrolmentCode(code)), now, deviceId]);
    const { server_id: serverId } = (await client.query<{ server_id: string }>('SELECT server_id FROM server_identity WHERE singleton = 1')).rows[0]!;
    return { deviceId, name: found.device_name, secret, serverId };
  });
}

import type { IncomingMessage } from 'node:http';
import type pg from 'pg';
import { deviceHeadersSchema, DEVICE_HEAD_HEADER, SENT_AT_HEADER } from '../../contract/syncWire.ts';
import { issueToError } from '../../contract/issues.ts';
import { SyncRefusal, validationRefusal } from './refusal.ts';
import { digestsMatch, sha256Hex } from './secrets.ts';
import { findDeviceCredentials, recordDeviceVisit, type DeviceCredentials } from './store/deviceAccess.ts';

const BEARER = /^Bearer ([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}):(\S+)$/;
/** Compared against when the device is unknown, so an unknown id takes as long as a wrong secret. */
const NO_DEVICE_DIGEST = sha256Hex('no such device');

const unauthenticated = () =>
  new SyncRefusal('FORBIDDEN', 'The request has no valid device credentials (Authorization: Bearer <deviceId>:<secret>): enrol this device with a code from the sync server administrator.', {
    rule: 'unauthenticated',
    status: 401,
  });

export interface Visit {
  device: DeviceCredentials;
  /** The device's clock minus the server's, in ms. */
  skewMs: number;
}

/**
 * The device a request comes from, checked against its secret's hash in constant time; a revoked
 * one is refused. Its headers (head, clock) are recorded on the device.
 */
export async function authenticate(request: IncomingMessage, pool: pg.Pool, now: Date): Promise<Visit> {
  const match = BEARER.exec(request.headers.authorization ?? '');
  if (!match) throw unauthenticated();
  const [, deviceId, secret] = match as unknown as [string, string, string];
  const device = await findDeviceCredentials(pool, deviceId);
  const matches = digestsMatch(sha256Hex(secret), device?.secretSha256 ?? NO_DEVICE_DIGEST);
  if (!device || !matches) throw unauthenticated();
  if (device.revoked) throw new SyncRefusal('FORBIDDEN', 'This device has been revoked on the sync server: it can no longer sync.', { rule: 'revoked' });
  const headers = { [DEVICE_HEAD_HEADER]: request.headers[DEVICE_HEAD_HEADER], [SENT_AT_HEADER]: request.headers[SENT_AT_HEADER] };
  const parsed = deviceHeadersSchema.safeParse(headers);
  if (!parsed.success) throw validationRefusal(issueToError(parsed.error, headers, { whole: 'headers' }));
  const skewMs = Date.parse(parsed.data[SENT_AT_HEADER]) - now.getTime();
  await recordDeviceVisit(pool, deviceId, { seenAt: now, reportedHead: parsed.data[DEVICE_HEAD_HEADER], skewMs });
  return { device, skewMs };
}

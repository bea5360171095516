import { createHash } from 'node:crypto';

/** The first link of every device's chain. */
export const ORIGIN_GENESIS_HASH = '0'.repeat(64);

/** What a device's chain covers: an event as its origin recorded it, the same bytes on every laptop and on the server. */
export interface OriginHashedFields {
  deviceId: string;
  deviceSeq: number;
  eventId: string;
  streamId: string;
  type: string;
  schemaVersion: number;
  recordedAt: string;
  /** The stored JSON texts, byte for byte. */
  payload: string;
  metadata: string;
}

/**
 * Each device's events chain on their own: the hash covers the device's previous hash, so the
 * server and every laptop can tell an altered, dropped or reordered event of any device. Local
 * positions and stream versions differ from laptop to laptop, so they are not covered.
 */
export function originHash(previousHash: string, e: OriginHashedFields): string {
  return createHash('sha256')
    .update(`${previousHash}\n${e.deviceId}\n${e.deviceSeq}\n${e.eventId}\n${e.streamId}\n${e.type}\n${e.schemaVersion}\n${e.recordedAt}\n${e.payload}\n${e.metadata}`)
    .digest('hex');
}

import { createHash } from 'node:crypto';
import type { EventRecord } from './eventRows.ts';

export const GENESIS_HASH = '0'.repeat(64);

/** What the hash covers: the stored event, all but the hash itself. */
export type HashedFields = Omit<EventRecord, 'hash'>;

/** Each event's hash covers the previous hash, so altering, removing or reordering history breaks the chain. */
export function eventHash(previousHash: string, e: HashedFields): string {
  return createHash('sha256')
    .update(
      `${previousHash}\n${e.position}\n${e.eventId}\n${e.streamId}\n${e.version}\n${e.type}\n${e.schemaVersion}\n${e.recordedAt}\n${e.payload}\n${e.metadata}`,
    )
    .digest('hex');
}

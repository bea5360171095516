// Test support: a device's chain of wire events, hashed as a laptop hashes them.
import { randomUUID } from 'node:crypto';
import type { WireEvent } from '../../../db/contract/syncWire.ts';
import { ORIGIN_GENESIS_HASH, originHash } from '../../../db/log/originHash.ts';

type Recorded = Omit<WireEvent, 'deviceHash'>;

/** Hashes events (in order, consecutive) onto `previousHash`, as the device that recorded them does. */
export function chainEvents(events: readonly Recorded[], previousHash = ORIGIN_GENESIS_HASH): WireEvent[] {
  let previous = previousHash;
  return events.map((event) => {
    previous = originHash(previous, event);
    return { ...event, deviceHash: previous };
  });
}

export interface DeviceChain {
  deviceId: string;
  /** Every event, seq 1 first. */
  events: WireEvent[];
  /** Events from `from` to `to` (device sequences, both included). */
  seqs(from: number, to: number): WireEvent[];
}

/** A valid chain of `count` events of one device; `overrides` changes what a sequence recorded (before hashing). */
export function deviceChain(count: number, options: { deviceId?: string; overrides?: (seq: number) => Partial<Recorded> } = {}): DeviceChain {
  const deviceId = options.deviceId ?? randomUUID();
  const events = chainEvents(
    Array.from({ length: count }, (_, i) => ({
      eventId: randomUUID(),
      deviceId,
      deviceSeq: i + 1,
      streamId: `parcel-${deviceId.slice(0, 8)}-${i % 7}`,
      type: 'ParcelScanned',
      schemaVersion: 1,
      recordedAt: new Date(Date.UTC(2026, 0, 1, 8, 0, i)).toISOString(),
      payload: JSON.stringify({ scan: i + 1, note: 'quotes " and \\ backslashes, ünïcode' }),
      metadata: JSON.stringify({ actor: 'test' }),
      ...options.overrides?.(i + 1),
    })),
  );
  return { deviceId, events, seqs: (from, to) => events.slice(from - 1, to) };
}

import type { DomainEvent } from './events.ts';

/** A key only one owner may hold across streams; the log stores these without knowing what they mean. */
export interface Reservation {
  kind: string;
  key: string;
  owner: string;
}

/** The kinds of key the domain keeps unique. */
export const reservationKinds = {
  /** A tracking code names one parcel. */
  trackingCode: 'tracking_code',
} as const;

/** What the events of one decision (or of an import) claim: every ParcelRegistered its tracking code. */
export function reservationsOf(events: readonly DomainEvent[]): Reservation[] {
  const claimed: Reservation[] = [];
  for (const e of events) {
    if (e.type === 'ParcelRegistered') claimed.push({ kind: reservationKinds.trackingCode, key: e.payload.trackingCode, owner: e.payload.parcelId });
  }
  return claimed;
}

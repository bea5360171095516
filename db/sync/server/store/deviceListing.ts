import { asc } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/node-postgres';
import type pg from 'pg';
import { asUnavailable } from '../database.ts';
import { devices } from '../schema.ts';
import { isSkewFlagged } from '../skew.ts';

/** One enrolled device as the office sees it: never its secret. */
export interface DeviceListing {
  deviceId: string;
  name: string;
  enrolledAt: string;
  lastSeenAt: string | null;
  revokedAt: string | null;
  acked: number;
  /** What the device said it has recorded beyond what the server holds (never negative). */
  pending: number;
  skewMs: number | null;
  skewFlagged: boolean;
  forked: boolean;
}

/** Every device ever enrolled, oldest first: for the administrator's listing and the fleet route alike. */
export async function deviceListing(pool: pg.Pool, skewThresholdMs: number): Promise<DeviceListing[]> {
  let rows: (typeof devices.$inferSelect)[];
  try {
    rows = await drizzle(pool).select().from(devices).orderBy(asc(devices.enrolledAt), asc(devices.deviceId));
  } catch (error) {
    throw asUnavailable(error);
  }
  return rows.map((d) => ({
    deviceId: d.deviceId,
    name: d.name,
    enrolledAt: d.enrolledAt.toISOString(),
    lastSeenAt: d.lastSeenAt?.toISOString() ?? null,
    revokedAt: d.revokedAt?.toISOString() ?? null,
    acked: d.ackedSeq,
    pending: Math.max(0, d.reportedHead - d.ackedSeq),
    skewMs: d.skewMs,
    skewFlagged: isSkewFlagged(d.skewMs, skewThresholdMs),
    forked: d.forkedAt !== null,
  }));
}

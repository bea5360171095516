// What the console and the CLI ask of this laptop's sync: join a server, sync now, leave, and how it stands.
import { z } from 'zod';
import { errorBodySchema } from './errors.ts';
import { count } from './shapes.ts';
import { fleetDeviceSchema } from './syncWire.ts';

export type { FleetDevice } from './syncWire.ts';

const time = z.string().nullable();

export const syncStatusSchema = z.strictObject({
  /** Whether this data folder is enrolled with a sync server. */
  joined: z.boolean(),
  server: z.string().nullable(),
  deviceId: z.string().nullable(),
  deviceName: z.string().nullable(),
  /** The last request reached the server. */
  online: z.boolean(),
  lastContactAt: time,
  lastPushAt: time,
  lastPullAt: time,
  /** This device's events: recorded here, and the highest the server has acknowledged. */
  deviceHead: count,
  acked: count,
  /** Events recorded here and not yet on the server. */
  waiting: count,
  /** Where the pull stands in the server's order, and how far the server was ahead when last seen. */
  cursor: count,
  serverHead: count,
  behind: count,
  /** Write checkpoint: everything recorded here is on the server. */
  allOnServer: z.boolean(),
  /** Read checkpoint: this laptop has everything the server had at this time (a pull came back empty at the server's head). */
  caughtUpAt: time,
  /** Conflicts the shared order produced that wait for a person (the conflicts read model). */
  conflicts: count,
  /** Why sync last failed or stopped (unreachable, revoked, a fork), until it next succeeds. */
  problem: errorBodySchema.nullable(),
});
export type SyncStatus = z.infer<typeof syncStatusSchema>;

export const syncJoinRequestSchema = z.strictObject({
  server: z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }),
  code: z.string().trim().min(1, 'is required').max(64),
});

export const syncNowOutcomeSchema = z.strictObject({
  pushed: count,
  pulled: count,
  status: syncStatusSchema,
});

/** Every device enrolled on the server this laptop syncs with, as the server tells it (the office's view). */
export const syncFleetSchema = z.strictObject({ devices: z.array(fleetDeviceSchema) });

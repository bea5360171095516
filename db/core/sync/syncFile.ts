import { chmodSync, existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { errorBodySchema } from '../../contract/errors.ts';
import { WaybillError } from '../../contract/waybillError.ts';

const time = z.string().nullable();

/** This folder's enrolment and how far sync has got, in `sync.json` (owner-only: it holds the device's secret). */
const syncFileSchema = z.strictObject({
  membership: z.strictObject({
    server: z.string(),
    serverId: z.string(),
    deviceId: z.string(),
    deviceName: z.string(),
    secret: z.string(),
    joinedAt: z.string(),
  }),
  progress: z.strictObject({
    /** The server's answer is the truth; this is what it last said (a lost write costs one duplicate push). */
    acked: z.number().int().min(0),
    serverHead: z.number().int().min(0),
    online: z.boolean(),
    lastContactAt: time,
    lastPushAt: time,
    lastPullAt: time,
    caughtUpAt: time,
    problem: errorBodySchema.nullable(),
  }),
});
export type SyncFile = z.infer<typeof syncFileSchema>;
export type Membership = SyncFile['membership'];
export type SyncProgress = SyncFile['progress'];

export const freshProgress = (): SyncProgress => ({ acked: 0, serverHead: 0, online: false, lastContactAt: null, lastPushAt: null, lastPullAt: null, caughtUpAt: null, problem: null });

export const syncFilePath = (dataDir: string) => join(dataDir, 'sync.json');

export function readSyncFile(dataDir: string): SyncFile | null {
  const path = syncFilePath(dataDir);
  if (!existsSync(path)) return null;
  const parsed = syncFileSchema.safeParse((() => {
    try {
      return JSON.parse(readFileSync(path, 'utf8')) as unknown;
    } catch {
      return null;
    }
  })());
  if (!parsed.success) throw new WaybillError('CORRUPT', `${path} is damaged; run \`waybill sync leave\` and join again (this folder's events are not affected).`);
  return parsed.data;
}

/** Written whole to a new file and renamed over the old, owner-only, so a crash leaves the old or the new. */
export function writeSyncFile(dataDir: string, file: SyncFile): void {
  const path = syncFilePath(dataDir);
  const next = `${path}.next`;
  writeFileSync(next, `${JSON.stringify(file, null, 2)}\n`, { mode: 0o600 });
  chmodSync(next, 0o600);
  renameSync(next, path);
}

export function removeSyncFile(dataDir: string): void {
  rmSync(syncFilePath(dataDir), { force: true });
}

// The sync server, as the CLI, the laptop's client and the tests use it.
export { startSyncServer, type SyncServer, type SyncServerOptions } from './startSyncServer.ts';
export { DEFAULT_SKEW_THRESHOLD_MS } from './skew.ts';
export { enrolDevice, listDevices, revokeDevice, serverStatus, type DeviceListing, type ServerStatus } from './admin.ts';
export { migrateSyncStore } from './migrateSyncStore.ts';
export type { RateLimitOptions } from './rateLimit.ts';

// IPC channel names shared by the preload and the main process. No imports but types: the
// sandboxed preload bundles this file, and it may only load `electron` at run time.
import type { PushTopic } from '../db/contract/index.ts';

/** Every call of the contract travels on this one channel as (operation, input). */
export const callChannel = 'waybill:call';

/** Push messages travel main → renderer on one channel per topic. */
export function pushChannel(topic: PushTopic): string {
  return `waybill:push:${topic}`;
}

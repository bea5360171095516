// IPC channel names shared by the preload and the main process. No imports but types: the
// sandboxed preload bundles this file, and it may only load `electron` at run time.
import type { PushTopic, WaybillApi } from '../db/contract.ts';

/** Every WaybillApi method that is a request/answer call (everything but `subscribe`). */
export type InvokeMethod = Exclude<keyof WaybillApi, 'subscribe'>;

/** One `ipcMain.handle` channel per method; the Record type makes a new contract method a compile error here. */
export const invokeChannels: Readonly<Record<InvokeMethod, string>> = {
  command: 'waybill:command',
  query: 'waybill:query',
  rebuild: 'waybill:rebuild',
  cancelRebuild: 'waybill:cancel-rebuild',
  verify: 'waybill:verify',
  deadLetter: 'waybill:dead-letter',
  seed: 'waybill:seed',
};

const pushTopicSet: Readonly<Record<PushTopic, true>> = { head: true, projection: true, rebuild: true };
export const pushTopics = Object.keys(pushTopicSet) as PushTopic[];

export function isPushTopic(topic: unknown): topic is PushTopic {
  return typeof topic === 'string' && Object.hasOwn(pushTopicSet, topic);
}

/** Push messages travel main → renderer on one channel per topic. */
export function pushChannel(topic: PushTopic): string {
  return `waybill:push:${topic}`;
}

import type { PushMessages, PushTopic } from '../../db/contract.ts';

/** How the browser host carries the contract: one POST path per operation, plus the push socket. */
export const apiPaths = {
  command: '/api/command',
  query: '/api/query',
  rebuild: '/api/rebuild',
  cancelRebuild: '/api/cancel-rebuild',
  verify: '/api/verify',
  deadLetter: '/api/dead-letter',
  seed: '/api/seed',
  push: '/api/push',
} as const;

export const tokenHeader = 'x-waybill-token';

export type PushFrame = { [T in PushTopic]: { topic: T; message: PushMessages[T] } }[PushTopic];

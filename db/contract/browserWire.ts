// How browser mode carries the contract between the page and its host: one POST path per
// operation (the body is the input, the answer the response), and one push socket.
import type { OperationName } from './operations.ts';
import type { PushMessages, PushTopic } from './push.ts';

export const callPathPrefix = '/api/call/';
export const callPath = (operation: OperationName) => `${callPathPrefix}${operation}`;
export const pushPath = '/api/push';
/** The header the page sends its token in; the push socket carries it as `?token=` instead. */
export const tokenHeader = 'x-waybill-token';

/** A frame on the push socket: one push message with its topic. */
export type PushFrame = { [T in PushTopic]: { topic: T; message: PushMessages[T] } }[PushTopic];

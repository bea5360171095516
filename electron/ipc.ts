// The IPC handler: the window's calls, with the window's session stamped on, to the core's
// endpoint. Pure — it never imports `electron`, so tests drive it with a fake core and fake frames.
import { pushTopics, type Session } from '../db/contract/index.ts';
import type { CoreEndpoint } from '../db/core/endpoint.ts';
import { pushChannel } from './channels.ts';
import type { InvokeEventLike, SenderCheck } from './senderCheck.ts';

export type IpcCallHandler = (event: InvokeEventLike, ...args: unknown[]) => Promise<unknown>;

/** Thrown (so the renderer's promise rejects) when a call comes from anywhere but our window's main frame. */
export class UntrustedSenderError extends Error {
  constructor() {
    super('waybill: call refused: the caller is not the Waybill window.');
    this.name = 'UntrustedSenderError';
  }
}

export interface IpcHandlerOptions {
  /** Told about every refused call (for the log); never about its arguments. */
  onRefused?: (reason: 'sender' | 'arguments') => void;
}

/**
 * Checks the sender, then carries `(operation, input)` to the core as the window's session: the
 * renderer names neither who it is nor from where. Any answer is the core's; a foreign sender's
 * call rejects.
 */
export function createIpcCallHandler(core: Pick<CoreEndpoint, 'call'>, session: Session, isTrustedSender: SenderCheck, options: IpcHandlerOptions = {}): IpcCallHandler {
  return async (event, ...args) => {
    if (!isTrustedSender(event)) {
      options.onRefused?.('sender');
      throw new UntrustedSenderError();
    }
    if (args.length > 2) {
      options.onRefused?.('arguments');
      return { ok: false, error: { code: 'VALIDATION', message: 'A call takes an operation and its input, nothing more.' } };
    }
    return core.call(session, args[0], args[1]);
  };
}

/** Forwards every push topic to the window; returns the function that stops forwarding. */
export function forwardPushMessages(core: Pick<CoreEndpoint, 'listen'>, send: (channel: string, message: unknown) => void): () => void {
  const stops = pushTopics.map((topic) => core.listen(topic, (message) => send(pushChannel(topic), message)));
  return () => {
    for (const stop of stops) stop();
  };
}

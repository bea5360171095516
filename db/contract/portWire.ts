// How a window talks to the core over a message port of its own (the desktop app hands the
// renderer one): calls with ids and their answers, and the push topics it listens to. The session
// is the port's, bound when the host handed it over: nothing on the wire names who calls.
import type { OperationAnswer, OperationName, WaybillTransport } from './operations.ts';
import type { PushMessages, PushTopic } from './push.ts';

export type ToCorePort =
  | { kind: 'call'; id: number; operation: string; input: unknown }
  | { kind: 'listen'; topic: PushTopic }
  | { kind: 'unlisten'; topic: PushTopic };

export type FromCorePort = { kind: 'answer'; id: number; answer: unknown } | { kind: 'push'; topic: PushTopic; message: unknown };

/** The least of a message port either end needs (a DOM MessagePort behind a thin adapter, or Electron's MessagePortMain). */
export interface PortLike {
  post(message: ToCorePort): void;
  onMessage(listener: (message: FromCorePort) => void): void;
  onClose(listener: () => void): void;
}

/** The contract over a port: the renderer's side. Calls pending when the port closes answer UNAVAILABLE. */
export function portTransport(port: PortLike): WaybillTransport & { watchConnection(listener: (connected: boolean) => void): () => void } {
  let nextId = 1;
  let open = true;
  const pending = new Map<number, (answer: unknown) => void>();
  const listeners = new Map<PushTopic, Set<(message: never) => void>>();
  const connection = new Set<(connected: boolean) => void>();
  port.onMessage((message) => {
    if (message.kind === 'answer') {
      pending.get(message.id)?.(message.answer);
      pending.delete(message.id);
    } else for (const listener of listeners.get(message.topic) ?? []) (listener as (m: unknown) => void)(message.message);
  });
  port.onClose(() => {
    open = false;
    for (const resolve of pending.values()) resolve({ ok: false, error: { code: 'UNAVAILABLE', message: 'The connection to the Waybill core closed; the call may or may not have been carried out.', retryable: true } });
    pending.clear();
    for (const listener of connection) listener(false);
  });
  return {
    call<N extends OperationName>(operation: N, input: unknown): Promise<OperationAnswer<N>> {
      if (!open) return Promise.resolve({ ok: false, error: { code: 'UNAVAILABLE', message: 'The connection to the Waybill core is closed.', retryable: true } });
      const id = nextId++;
      return new Promise((resolve) => {
        pending.set(id, resolve as (answer: unknown) => void);
        port.post({ kind: 'call', id, operation, input });
      });
    },
    listen<T extends PushTopic>(topic: T, listener: (message: PushMessages[T]) => void) {
      let set = listeners.get(topic);
      if (!set) {
        listeners.set(topic, (set = new Set()));
        port.post({ kind: 'listen', topic });
      }
      set.add(listener as (message: never) => void);
      return () => {
        set.delete(listener as (message: never) => void);
        if (set.size === 0 && open) {
          listeners.delete(topic);
          port.post({ kind: 'unlisten', topic });
        }
      };
    },
    watchConnection(listener) {
      connection.add(listener);
      listener(open);
      return () => connection.delete(listener);
    },
  };
}

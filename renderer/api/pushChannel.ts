import type { PushFrame, PushMessages, PushTopic } from '../../db/contract/index.ts';


export type SocketFactory = (url: string) => WebSocket;
type Listener = (message: never) => void;

export interface PushChannel {
  subscribe<T extends PushTopic>(topic: T, listener: (message: PushMessages[T]) => void): () => void;
  /** Told at once whether the socket is open now, then on every change. */
  watchConnection(listener: (connected: boolean) => void): () => void;
  close(): void;
}

/** One WebSocket for all push topics, opened on first subscribe and reopened with backoff when it drops. */
export function createPushChannel(url: string, openSocket: SocketFactory): PushChannel {
  const listeners = new Map<PushTopic, Set<Listener>>();
  let socket: WebSocket | null = null;
  let retryDelay = 250;
  let retryTimer: ReturnType<typeof setTimeout> | null = null;
  let closed = false;
  let open = false;
  const connectionListeners = new Set<(connected: boolean) => void>();
  const setOpen = (value: boolean) => {
    if (open === value) return;
    open = value;
    for (const listener of connectionListeners) listener(value);
  };

  const deliver = (frame: PushFrame) => {
    for (const listener of listeners.get(frame.topic) ?? []) (listener as (message: unknown) => void)(frame.message);
  };
  const connect = () => {
    if (closed || socket) return;
    const current = openSocket(url);
    socket = current;
    current.onopen = () => {
      retryDelay = 250;
      setOpen(true);
    };
    current.onmessage = (event: MessageEvent) => {
      try {
        deliver(JSON.parse(String(event.data)) as PushFrame);
      } catch {
        // a malformed frame is dropped; the next one carries fresh numbers anyway
      }
    };
    current.onclose = () => {
      socket = null;
      setOpen(false);
      if (closed) return;
      retryTimer = setTimeout(connect, retryDelay);
      retryDelay = Math.min(retryDelay * 2, 5000);
    };
  };

  return {
    subscribe(topic, listener) {
      const set = listeners.get(topic) ?? new Set<Listener>();
      listeners.set(topic, set);
      set.add(listener as Listener);
      connect();
      return () => {
        set.delete(listener as Listener);
      };
    },
    watchConnection(listener) {
      connectionListeners.add(listener);
      listener(open);
      return () => {
        connectionListeners.delete(listener);
      };
    },
    close() {
      closed = true;
      if (retryTimer) clearTimeout(retryTimer);
      socket?.close();
      socket = null;
    },
  };
}

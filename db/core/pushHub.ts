import type { PushMessages, PushTopic } from '../contract/index.ts';

type Listener<T extends PushTopic> = (message: PushMessages[T]) => void;

/** Push messages to listeners, at most one per key every `intervalMs` (the last one always arrives). */
export class PushHub {
  private readonly listeners = new Map<PushTopic, Set<Listener<PushTopic>>>();
  private readonly timers = new Map<string, { timer: NodeJS.Timeout; latest: () => void }>();
  private readonly lastSent = new Map<string, number>();

  constructor(private readonly intervalMs = 100) {}

  subscribe<T extends PushTopic>(topic: T, listener: Listener<T>): () => void {
    let set = this.listeners.get(topic);
    if (!set) this.listeners.set(topic, (set = new Set()));
    set.add(listener as Listener<PushTopic>);
    return () => set.delete(listener as Listener<PushTopic>);
  }

  /** Sends now, or once the interval has passed for this key; `build` runs only when sending. */
  publish<T extends PushTopic>(topic: T, key: string, build: () => PushMessages[T]): void {
    if (!this.listeners.get(topic)?.size) return;
    const id = `${topic}:${key}`;
    const send = () => {
      this.lastSent.set(id, performance.now());
      this.timers.delete(id);
      const message = build();
      for (const listener of this.listeners.get(topic) ?? []) listener(message);
    };
    const wait = this.intervalMs - (performance.now() - (this.lastSent.get(id) ?? -Infinity));
    if (wait <= 0 && !this.timers.has(id)) return send();
    const pending = this.timers.get(id);
    if (pending) pending.latest = send;
    else {
      const entry = { latest: send, timer: setTimeout(() => entry.latest(), Math.max(0, wait)) };
      entry.timer.unref();
      this.timers.set(id, entry);
    }
  }

  close(): void {
    for (const { timer } of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    this.listeners.clear();
  }
}

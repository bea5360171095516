import { isPushTopic, type FromCorePort, type PushTopic, type Session, type ToCorePort } from '../../contract/index.ts';
import type { CoreEndpoint } from '../endpoint.ts';

/** What the core process gets of a window's channel: Electron's MessagePortMain, by its shape. */
export interface ServedPort {
  on(event: 'message', listener: (event: { data: unknown }) => void): void;
  on(event: 'close', listener: () => void): void;
  postMessage(message: FromCorePort): void;
  start(): void;
}

/**
 * Answers the calls that arrive on one window's port as `session`, the session its host bound to
 * the port when it handed it over; the window cannot name another. Push topics it listens to come
 * back on the same port.
 */
export function servePort(endpoint: CoreEndpoint, port: ServedPort, session: Session): void {
  const listening = new Map<PushTopic, () => void>();
  port.on('message', ({ data }) => {
    const message = data as ToCorePort;
    if (message === null || typeof message !== 'object') return;
    if (message.kind === 'call' && typeof message.id === 'number') {
      void endpoint.call(session, message.operation, message.input).then((answer) => port.postMessage({ kind: 'answer', id: message.id, answer }));
    } else if (message.kind === 'listen' && isPushTopic(message.topic) && !listening.has(message.topic)) {
      const topic = message.topic;
      listening.set(topic, endpoint.listen(topic, (pushed) => port.postMessage({ kind: 'push', topic, message: pushed })));
    } else if (message.kind === 'unlisten' && isPushTopic(message.topic)) {
      listening.get(message.topic)?.();
      listening.delete(message.topic);
    }
  });
  port.on('close', () => {
    for (const stop of listening.values()) stop();
    listening.clear();
  });
  port.start();
}

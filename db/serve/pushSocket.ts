import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { PushMessages, PushTopic, WaybillApi } from '../contract.ts';

const topics: readonly PushTopic[] = ['head', 'projection', 'rebuild'];

/** The frames the page receives on `/api/push`: one push message with its topic. */
export type PushFrame = { [T in PushTopic]: { topic: T; message: PushMessages[T] } }[PushTopic];

export interface PushHub {
  upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void;
  close(): Promise<void>;
}

/** Subscribes to the core once and fans every push message out to all open sockets. */
export function createPushHub(api: WaybillApi): PushHub {
  const server = new WebSocketServer({ noServer: true, maxPayload: 1024 });
  const clients = new Set<WebSocket>();
  const send = (frame: PushFrame) => {
    if (clients.size === 0) return;
    const data = JSON.stringify(frame);
    for (const client of clients) if (client.readyState === client.OPEN && client.bufferedAmount < 1_000_000) client.send(data);
  };
  const unsubscribes = topics.map((topic) => api.subscribe(topic, (message) => send({ topic, message } as PushFrame)));
  server.on('connection', (socket) => {
    clients.add(socket);
    socket.on('close', () => clients.delete(socket));
    socket.on('message', () => socket.close(1003, 'push only'));
  });
  return {
    upgrade(request, socket, head) {
      server.handleUpgrade(request, socket, head, (ws) => server.emit('connection', ws, request));
    },
    close() {
      for (const unsubscribe of unsubscribes) unsubscribe();
      for (const client of clients) client.terminate();
      return new Promise((done) => server.close(() => done()));
    },
  };
}

import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { pushTopics, type PushFrame } from '../contract/index.ts';
import type { CoreEndpoint } from '../core/endpoint.ts';

export interface PushSockets {
  upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void;
  close(): Promise<void>;
}

/** Listens to every topic of the core once and fans each message out to all open sockets. */
export function createPushSockets(endpoint: Pick<CoreEndpoint, 'listen'>): PushSockets {
  const server = new WebSocketServer({ noServer: true, maxPayload: 1024 });
  const clients = new Set<WebSocket>();
  const send = (frame: PushFrame) => {
    if (clients.size === 0) return;
    const data = JSON.stringify(frame);
    for (const client of clients) if (client.readyState === client.OPEN && client.bufferedAmount < 1_000_000) client.send(data);
  };
  const stops = pushTopics.map((topic) => endpoint.listen(topic, (message) => send({ topic, message } as PushFrame)));
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
      for (const stop of stops) stop();
      for (const client of clients) client.terminate();
      return new Promise((done) => server.close(() => done()));
    },
  };
}

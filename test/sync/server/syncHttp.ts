// Test support: plain HTTP calls to a sync server, as a laptop makes them.
import { randomUUID } from 'node:crypto';
import { DEVICE_HEAD_HEADER, SENT_AT_HEADER, type WireEvent } from '../../../db/contract/syncWire.ts';
import { enrolDevice } from '../../../db/sync/server/index.ts';

export interface Reply {
  status: number;
  headers: Headers;
  body: unknown;
}

export interface Credentials {
  deviceId: string;
  secret: string;
}

export async function call(url: string, method: string, path: string, options: { body?: unknown; rawBody?: string; headers?: Record<string, string> } = {}): Promise<Reply> {
  const body = options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  const response = await fetch(`${url}${path}`, { method, headers: { 'content-type': 'application/json', ...options.headers }, ...(body === undefined ? {} : { body }) });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text === '' ? undefined : (JSON.parse(text) as unknown) };
}

/** The headers every request but enrol carries. */
export function deviceHeaders(credentials: Credentials, options: { head?: number; sentAt?: Date } = {}): Record<string, string> {
  return {
    authorization: `Bearer ${credentials.deviceId}:${credentials.secret}`,
    [DEVICE_HEAD_HEADER]: String(options.head ?? 0),
    [SENT_AT_HEADER]: (options.sentAt ?? new Date()).toISOString(),
  };
}

/** A device of the server's, signed in: what a laptop's sync client sends. */
export function deviceClient(url: string, credentials: Credentials, options: { head?: () => number } = {}) {
  const headers = () => deviceHeaders(credentials, { head: options.head?.() ?? 0 });
  return {
    ...credentials,
    push: (events: readonly WireEvent[]) => call(url, 'POST', '/v1/push', { body: { events }, headers: headers() }),
    pull: (after: number, limit?: number, wait?: number) =>
      call(url, 'GET', `/v1/pull?after=${after}${limit === undefined ? '' : `&limit=${limit}`}${wait === undefined ? '' : `&wait=${wait}`}`, { headers: headers() }),
    device: () => call(url, 'GET', '/v1/device', { headers: headers() }),
  };
}
export type DeviceClient = ReturnType<typeof deviceClient>;

/** Makes a code with the admin function and spends it from a new device id (or `deviceId`). */
export async function enrol(url: string, databaseUrl: string, name: string, deviceId: string = randomUUID()): Promise<DeviceClient> {
  const { code } = await enrolDevice(databaseUrl, name);
  const reply = await call(url, 'POST', '/v1/enrol', { body: { code, deviceId } });
  if (reply.status !== 200) throw new Error(`enrol failed: ${reply.status} ${JSON.stringify(reply.body)}`);
  return deviceClient(url, { deviceId, secret: (reply.body as { secret: string }).secret });
}

/** The reply's body, which must be an answer of `schema` (db/contract/syncWire.ts): every answer the server gives is one. */
export function answer<T>(schema: { parse(value: unknown): T }, reply: Reply): T {
  return schema.parse(reply.body);
}

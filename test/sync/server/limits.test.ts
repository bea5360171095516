import { request } from 'node:http';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_REQUEST_BYTES, pullAnswerSchema, pushAnswerSchema } from '../../../db/contract/syncWire.ts';
import { startSyncServer } from '../../../db/sync/server/index.ts';
import { deviceChain } from './deviceChain.ts';
import { answer, call, deviceClient, deviceHeaders, enrol } from './syncHttp.ts';
import { syncServerFixture } from './syncServerFixture.ts';
import { startTcpProxy } from './tcpProxy.ts';

const fixture = syncServerFixture();
let db: pg.Client;
beforeAll(async () => {
  db = new pg.Client({ connectionString: fixture.databaseUrl });
  await db.connect();
});
afterAll(() => db.end());
const snapshot = async () => (await db.query('SELECT (SELECT count(*) FROM events) AS events, (SELECT last_seq FROM server_counter) AS head, (SELECT count(*) FROM quarantine) AS quarantined')).rows[0];

/**
 * Sends a push whose body never ends on its own: `declared` bytes announced up front, or chunked, a
 * megabyte at a time, until the server answers. Resolves with the answer and how much was sent.
 */
function oversizePush(url: string, headers: Record<string, string>, declared?: number): Promise<{ status: number; body: unknown; sent: number }> {
  return new Promise((resolve, reject) => {
    let sent = 0;
    let answered = false;
    const req = request(`${url}/v1/push`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json', ...(declared ? { 'content-length': String(declared) } : {}) } });
    req.on('error', (error) => (answered ? undefined : reject(error)));
    req.on('response', (res) => {
      answered = true;
      let text = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
      res.on('end', () => {
        req.destroy();
        resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as unknown, sent });
      });
    });
    const chunk = Buffer.alloc(1024 * 1024, 0x20);
    const more = () => {
      if (answered || sent >= MAX_REQUEST_BYTES * 4) return;
      sent += chunk.length;
      if (req.write(chunk)) setImmediate(more);
      else req.once('drain', more);
    };
    req.write('{"events":');
    if (declared) return;
    more();
  });
}

describe('limits and malformed requests', () => {
  it('a body declared larger than the limit is refused with 413 before it is sent', async () => {
    const device = await enrol(fixture.url, fixture.databaseUrl, 'Big talker');
    const reply = await oversizePush(fixture.url, deviceHeaders(device), MAX_REQUEST_BYTES + 1);
    expect(reply).toEqual({ status: 413, sent: 0, body: { ok: false, error: { code: 'VALIDATION', message: expect.stringContaining('larger than'), rule: 'too_large' } } });
    expect(pushAnswerSchema.parse(reply.body)).toMatchObject({ ok: false });
  });

  it('a chunked body that grows past the limit is refused with 413 as soon as it does, without reading the rest', async () => {
    const device = await enrol(fixture.url, fixture.databaseUrl, 'Streamer');
    const before = await snapshot();
    const reply = await oversizePush(fixture.url, deviceHeaders(device));
    expect(reply).toMatchObject({ status: 413, body: { ok: false, error: { code: 'VALIDATION', rule: 'too_large' } } });
    expect(reply.sent).toBeLessThan(MAX_REQUEST_BYTES * 4);
    expect(await snapshot()).toEqual(before);
  });

  it('malformed JSON, a body that is not the schema, and a bad pull query are 400s naming the field, and change nothing', async () => {
    const device = await enrol(fixture.url, fixture.databaseUrl, 'Sloppy');
    const before = await snapshot();
    const event = deviceChain(1, { deviceId: device.deviceId }).events[0]!;
    const cases: [Promise<Awaited<ReturnType<typeof call>>>, object][] = [
      [call(fixture.url, 'POST', '/v1/push', { rawBody: '{"events": [', headers: deviceHeaders(device) }), { field: 'body', rule: 'malformed_json' }],
      [call(fixture.url, 'POST', '/v1/push', { body: { events: [] }, headers: deviceHeaders(device) }), { field: 'events' }],
      [call(fixture.url, 'POST', '/v1/push', { body: { events: [{ ...event, deviceSeq: 0 }] }, headers: deviceHeaders(device) }), { field: 'events.0.deviceSeq' }],
      [call(fixture.url, 'POST', '/v1/push', { body: { events: [{ ...event, payload: '[1]' }] }, headers: deviceHeaders(device) }), { field: 'events.0.payload' }],
      [call(fixture.url, 'POST', '/v1/push', { body: { events: [event], extra: 1 }, headers: deviceHeaders(device) }), { field: 'extra' }],
      [call(fixture.url, 'POST', '/v1/push', { body: { events: [{ ...event, streamId: 'a\u0000b' }] }, headers: deviceHeaders(device) }), { field: 'events.0.streamId' }],
      [call(fixture.url, 'GET', '/v1/pull?after=-1', { headers: deviceHeaders(device) }), { field: 'after' }],
      [call(fixture.url, 'GET', '/v1/pull?after=0&limit=5001', { headers: deviceHeaders(device) }), { field: 'limit' }],
      [call(fixture.url, 'GET', '/v1/pull?after=0&wait=31', { headers: deviceHeaders(device) }), { field: 'wait' }],
    ];
    for (const [sent, fields] of cases) {
      const reply = await sent;
      expect(reply.status).toBe(400);
      expect(answer(pushAnswerSchema, reply)).toEqual({ ok: false, error: { code: 'VALIDATION', message: expect.any(String), ...fields } });
    }
    expect(await snapshot()).toEqual(before);
  });

  it('an unknown route is a 404 NOT_FOUND', async () => {
    for (const [method, path] of [['GET', '/v1/nope'], ['GET', '/v1/push'], ['DELETE', '/v1/device']] as const) {
      const reply = await call(fixture.url, method, path);
      expect(reply.status).toBe(404);
      expect(answer(pullAnswerSchema, reply)).toEqual({ ok: false, error: { code: 'NOT_FOUND', message: expect.stringContaining(path) } });
    }
  });

  it('a device past its rate is answered 429, retryable, with Retry-After; another device is not held back', async () => {
    const limited = await startSyncServer({ databaseUrl: fixture.databaseUrl, rateLimit: { perSecond: 0.01, burst: 3 } });
    try {
      const device = await enrol(fixture.url, fixture.databaseUrl, 'Hasty');
      const other = await enrol(fixture.url, fixture.databaseUrl, 'Patient');
      const client = deviceClient(limited.url, device);
      const replies = [await client.pull(0, 1), await client.pull(0, 1), await client.pull(0, 1), await client.pull(0, 1)];
      expect(replies.map((r) => r.status)).toEqual([200, 200, 200, 429]);
      expect(replies[3]!.headers.get('retry-after')).toBe('100');
      expect(answer(pullAnswerSchema, replies[3]!)).toEqual({ ok: false, error: { code: 'UNAVAILABLE', message: expect.stringContaining('Too many requests'), rule: 'rate_limited', retryable: true } });
      expect((await deviceClient(limited.url, other).pull(0, 1)).status).toBe(200);
    } finally {
      await limited.close();
    }
  });

  it('while PostgreSQL cannot be reached the server answers 503, retryable; once it is back, it serves again and long-polls wake', async () => {
    const pgUrl = new URL(fixture.databaseUrl);
    const proxy = await startTcpProxy({ host: pgUrl.hostname, port: Number(pgUrl.port) });
    const lines: string[] = [];
    const cut = await startSyncServer({ databaseUrl: proxy.url(fixture.databaseUrl), log: (line) => lines.push(line) });
    try {
      const device = await enrol(fixture.url, fixture.databaseUrl, 'Offline');
      const client = deviceClient(cut.url, device);
      expect((await client.device()).status).toBe(200);
      await proxy.cut();
      for (const reply of [await client.device(), await client.push(deviceChain(1, { deviceId: device.deviceId }).events), await client.pull(0)]) {
        expect(reply.status).toBe(503);
        expect(answer(pullAnswerSchema, reply)).toEqual({ ok: false, error: { code: 'UNAVAILABLE', message: expect.stringContaining('cannot be reached'), retryable: true } });
      }
      await proxy.restore();
      expect((await client.device()).status).toBe(200);
      const { serverHead } = answer(pullAnswerSchema, await client.pull(0, 1)) as { serverHead: number };
      const waiting = client.pull(serverHead, 10, 20);
      const pusher = await enrol(fixture.url, fixture.databaseUrl, 'Pusher');
      const pushed = pusher.push(deviceChain(1, { deviceId: pusher.deviceId }).events);
      expect(answer(pullAnswerSchema, await waiting)).toMatchObject({ ok: true, events: [{ deviceId: pusher.deviceId, serverSeq: serverHead + 1 }] });
      await pushed;
      expect(lines).toContainEqual(expect.stringContaining('the LISTEN connection dropped'));
    } finally {
      await cut.close();
      await proxy.close();
    }
  });
});

import { describe, expect, it } from 'vitest';
import { createHttpApi } from './httpApi.ts';
import type { SocketFactory } from './pushChannel.ts';

interface Sent {
  url: string;
  headers: Record<string, string>;
  body: unknown;
}

function recordingFetch(answers: (() => Response | Promise<Response>)[]) {
  const sent: Sent[] = [];
  const fetch = (async (url: string, init: RequestInit) => {
    sent.push({ url, headers: init.headers as Record<string, string>, body: JSON.parse(String(init.body)) });
    const next = answers.shift();
    if (!next) throw new Error('no answer left');
    return next();
  }) as unknown as typeof globalThis.fetch;
  return { sent, fetch };
}

const json = (body: unknown, status = 200) => () => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

class FakeSocket {
  static opened: FakeSocket[] = [];
  onopen: (() => void) | null = null;
  onmessage: ((event: { data: string }) => void) | null = null;
  onclose: (() => void) | null = null;
  constructor(readonly url: string) {
    FakeSocket.opened.push(this);
  }
  close() {
    this.onclose?.();
  }
}
const openSocket: SocketFactory = (url) => new FakeSocket(url) as unknown as WebSocket;

describe('the HTTP transport', () => {
  it('posts each call to its path with the token header', async () => {
    const { sent, fetch } = recordingFetch([json({ ok: true, data: [], freshness: { readModel: 'depot_board', position: 1, head: 1, lag: 0, stale: false } })]);
    const api = createHttpApi({ baseUrl: 'http://127.0.0.1:9', token: 'secret', fetch, openSocket });
    const answer = await api.query('depots.board', {}, { minPosition: 4 });
    expect(answer.ok).toBe(true);
    expect(sent[0]).toEqual({
      url: 'http://127.0.0.1:9/api/query',
      headers: { 'content-type': 'application/json', 'x-waybill-token': 'secret' },
      body: { name: 'depots.board', params: {}, options: { minPosition: 4 } },
    });
  });

  it('passes error answers through as values', async () => {
    const { fetch } = recordingFetch([json({ ok: false, error: { code: 'RULE', message: 'The API token is missing or wrong.' } }, 401)]);
    const api = createHttpApi({ baseUrl: 'http://127.0.0.1:9', token: 'wrong', fetch, openSocket });
    const answer = await api.query('depots.board', {});
    expect(answer).toEqual({ ok: false, error: { code: 'RULE', message: 'The API token is missing or wrong.' } });
  });

  it('retries a command once after a dropped connection, with the same command id', async () => {
    const { sent, fetch } = recordingFetch([
      () => Promise.reject(new TypeError('connection reset')),
      json({ ok: true, commandId: 'x', position: 7, events: [], duplicate: true }),
    ]);
    const api = createHttpApi({ baseUrl: 'http://127.0.0.1:9', token: 't', fetch, openSocket });
    const result = await api.command({ type: 'StartRoute', payload: { routeId: 'R-1' } });
    expect(result).toEqual({ ok: true, commandId: 'x', position: 7, events: [], duplicate: true });
    const ids = sent.map((call) => (call.body as { commandId: string }).commandId);
    expect(ids[0]).toBeTruthy();
    expect(ids[1]).toBe(ids[0]);
  });

  it('says the host is unreachable instead of throwing', async () => {
    const { fetch } = recordingFetch([() => Promise.reject(new TypeError('refused'))]);
    const api = createHttpApi({ baseUrl: 'http://127.0.0.1:9', token: 't', fetch, openSocket });
    const answer = await api.seed({ events: 100 });
    expect(answer).toEqual({ ok: false, error: { code: 'UNAVAILABLE', message: expect.stringContaining('refused'), retryable: true } });
  });

  it('reports the push socket as the connection: up once it opens, down as soon as it drops', () => {
    FakeSocket.opened = [];
    const api = createHttpApi({ baseUrl: 'http://127.0.0.1:9', token: 't', fetch: recordingFetch([]).fetch, openSocket });
    const seen: boolean[] = [];
    api.watchConnection((connected) => seen.push(connected));
    api.subscribe('head', () => undefined);
    FakeSocket.opened[0]!.onopen?.();
    FakeSocket.opened[0]!.close();
    expect(seen).toEqual([false, true, false]);
    api.close();
  });

  it('opens one push socket with the token and delivers frames by topic', () => {
    FakeSocket.opened = [];
    const api = createHttpApi({ baseUrl: 'http://127.0.0.1:9', token: 'a b', fetch: recordingFetch([]).fetch, openSocket });
    const heads: number[] = [];
    api.subscribe('head', (message) => heads.push(message.head));
    api.subscribe('rebuild', () => heads.push(-1));
    expect(FakeSocket.opened.map((socket) => socket.url)).toEqual(['ws://127.0.0.1:9/api/push?token=a%20b']);
    FakeSocket.opened[0]!.onmessage?.({ data: JSON.stringify({ topic: 'head', message: { head: 5, appendedPerSecond: 1 } }) });
    expect(heads).toEqual([5]);
    api.close();
  });
});

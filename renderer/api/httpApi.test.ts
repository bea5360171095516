import { describe, expect, it, vi } from 'vitest';
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

const fresh = { readModel: 'depot_board', position: 1, head: 1, lag: 0, stale: false } as const;
const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const startRoute = { type: 'StartRoute', payload: { routeId: 'R-1' } } as const;
const started = { ok: true, commandId: 'x', position: 7, events: [], duplicate: true } as const;

describe('the HTTP transport', () => {
  it('posts each call to /api/call/<operation> with the token header and the input as the body, and answers the body', async () => {
    const { sent, fetch } = recordingFetch([json({ ok: true, data: [], freshness: fresh }), json({ ok: true })]);
    const api = createHttpApi({ baseUrl: 'http://127.0.0.1:9/', token: 'secret', fetch, openSocket });
    expect(await api.call('depots.board', { params: {}, options: { minPosition: 4 } })).toEqual({ ok: true, data: [], freshness: fresh });
    expect(await api.call('rebuild', { projection: 'depot_board' })).toEqual({ ok: true });
    expect(sent).toEqual([
      { url: 'http://127.0.0.1:9/api/call/depots.board', headers: { 'content-type': 'application/json', 'x-waybill-token': 'secret' }, body: { params: {}, options: { minPosition: 4 } } },
      { url: 'http://127.0.0.1:9/api/call/rebuild', headers: { 'content-type': 'application/json', 'x-waybill-token': 'secret' }, body: { projection: 'depot_board' } },
    ]);
  });

  it('passes error answers through as values, the host’s refusals (4xx with a typed body) as well as the core’s', async () => {
    const { fetch } = recordingFetch([
      json({ ok: false, error: { code: 'RULE', message: 'The API token is missing or wrong.' } }, 401),
      json({ ok: false, error: { code: 'VALIDATION', message: 'params.limit must be at most 1000', field: 'params.limit' } }),
    ]);
    const api = createHttpApi({ baseUrl: 'http://127.0.0.1:9', token: 'wrong', fetch, openSocket });
    expect(await api.call('depots.board', { params: {} })).toEqual({ ok: false, error: { code: 'RULE', message: 'The API token is missing or wrong.' } });
    expect(await api.call('parcels.list', { params: { limit: 5000 } })).toEqual({
      ok: false,
      error: { code: 'VALIDATION', message: 'params.limit must be at most 1000', field: 'params.limit' },
    });
  });

  it('says the host is unreachable, instead of throwing, when it does not answer or answers without a typed body', async () => {
    const { fetch } = recordingFetch([
      () => Promise.reject(new TypeError('refused')),
      () => new Response('Bad Gateway', { status: 502 }),
      json({ message: 'not ours' }, 500),
    ]);
    const api = createHttpApi({ baseUrl: 'http://127.0.0.1:9', token: 't', fetch, openSocket });
    expect(await api.call('seed', { events: 100 })).toEqual({ ok: false, error: { code: 'UNAVAILABLE', message: expect.stringContaining('refused'), retryable: true } });
    expect(await api.call('verify', {})).toEqual({ ok: false, error: { code: 'UNAVAILABLE', message: expect.stringContaining('HTTP 502 without a JSON body'), retryable: true } });
    expect(await api.call('verify', {})).toEqual({ ok: false, error: { code: 'UNAVAILABLE', message: expect.stringContaining('HTTP 500'), retryable: true } });
  });

  it('gives a command without an id one of its own, and keeps an id it was given', async () => {
    const { sent, fetch } = recordingFetch([json(started), json(started)]);
    const api = createHttpApi({ baseUrl: 'http://127.0.0.1:9', token: 't', fetch, openSocket });
    await api.call('command', startRoute);
    await api.call('command', { ...startRoute, commandId: 'mine-1' });
    expect(sent.map((call) => call.body)).toEqual([
      { ...startRoute, commandId: expect.stringMatching(uuid) },
      { ...startRoute, commandId: 'mine-1' },
    ]);
  });

  it('retries a command once after a dropped connection, with the same command id, and answers the retry', async () => {
    const { sent, fetch } = recordingFetch([() => Promise.reject(new TypeError('connection reset')), json(started)]);
    const api = createHttpApi({ baseUrl: 'http://127.0.0.1:9', token: 't', fetch, openSocket });
    expect(await api.call('command', startRoute)).toEqual(started);
    const [first, retry] = sent.map((call) => call.body as { commandId: string });
    expect(first).toEqual({ ...startRoute, commandId: expect.stringMatching(uuid) });
    expect(retry).toEqual(first);
    expect(sent.map((call) => call.url)).toEqual(['http://127.0.0.1:9/api/call/command', 'http://127.0.0.1:9/api/call/command']);
  });

  it('retries a command the core answered UNAVAILABLE once with the same id, and then gives its answer, whatever it is', async () => {
    const busy = { ok: false, error: { code: 'UNAVAILABLE', message: 'The data folder is locked by another program: try again in a moment.', retryable: true } } as const;
    const { sent, fetch } = recordingFetch([json(busy), json(busy)]);
    const api = createHttpApi({ baseUrl: 'http://127.0.0.1:9', token: 't', fetch, openSocket });
    expect(await api.call('command', { ...startRoute, commandId: 'c-9' })).toEqual(busy);
    expect(sent.map((call) => call.body)).toEqual([
      { ...startRoute, commandId: 'c-9' },
      { ...startRoute, commandId: 'c-9' },
    ]);
  });

  it('does not retry a command the core refused for a reason of its own, nor any query', async () => {
    const conflict = { ok: false, error: { code: 'CONFLICT', message: 'Route R-1 has already started.', field: 'payload.routeId' } } as const;
    const { sent, fetch } = recordingFetch([json(conflict), () => Promise.reject(new TypeError('connection reset'))]);
    const api = createHttpApi({ baseUrl: 'http://127.0.0.1:9', token: 't', fetch, openSocket });
    expect(await api.call('command', startRoute)).toEqual(conflict);
    expect(await api.call('depots.board', { params: {} })).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE' } });
    expect(sent).toHaveLength(2);
  });

  it('watches the push socket as the connection: down until it opens, up, down as soon as it drops, up again once it reconnects', () => {
    vi.useFakeTimers();
    try {
      FakeSocket.opened = [];
      const api = createHttpApi({ baseUrl: 'http://127.0.0.1:9', token: 't', fetch: recordingFetch([]).fetch, openSocket });
      const seen: boolean[] = [];
      const stop = api.watchConnection((connected) => seen.push(connected));
      api.listen('head', () => undefined);
      FakeSocket.opened[0]!.onopen?.();
      FakeSocket.opened[0]!.close();
      expect(seen).toEqual([false, true, false]);
      // It reconnects by itself after a back-off, and says so.
      vi.advanceTimersByTime(250);
      expect(FakeSocket.opened).toHaveLength(2);
      FakeSocket.opened[1]!.onopen?.();
      expect(seen).toEqual([false, true, false, true]);
      // A watcher that stopped hears nothing more; one that starts now is told at once.
      stop();
      FakeSocket.opened[1]!.close();
      expect(seen).toEqual([false, true, false, true]);
      const later: boolean[] = [];
      api.watchConnection((connected) => later.push(connected));
      expect(later).toEqual([false]);
      api.close();
      vi.advanceTimersByTime(10_000);
      expect(FakeSocket.opened).toHaveLength(2);
    } finally {
      vi.useRealTimers();
    }
  });

  it('opens one push socket with the token and delivers frames by topic, dropping malformed ones', () => {
    FakeSocket.opened = [];
    const api = createHttpApi({ baseUrl: 'http://127.0.0.1:9', token: 'a b', fetch: recordingFetch([]).fetch, openSocket });
    const heads: number[] = [];
    const stopHeads = api.listen('head', (message) => heads.push(message.head));
    api.listen('rebuild', () => heads.push(-1));
    expect(FakeSocket.opened.map((socket) => socket.url)).toEqual(['ws://127.0.0.1:9/api/push?token=a%20b']);
    FakeSocket.opened[0]!.onmessage?.({ data: JSON.stringify({ topic: 'head', message: { head: 5, appendedPerSecond: 1 } }) });
    FakeSocket.opened[0]!.onmessage?.({ data: '{"topic":' });
    expect(heads).toEqual([5]);
    stopHeads();
    FakeSocket.opened[0]!.onmessage?.({ data: JSON.stringify({ topic: 'head', message: { head: 6, appendedPerSecond: 1 } }) });
    expect(heads).toEqual([5]);
    api.close();
  });
});

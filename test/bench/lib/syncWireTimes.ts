// Every request this process's laptops send to the sync server, timed from leaving to the last byte
// of its answer, per device: the laptop side (LaptopSync, SyncServerClient) calls the global fetch.
export type WireKind = 'push' | 'pull' | 'other';

export interface WireRequest {
  kind: WireKind;
  deviceId: string;
  /** performance.now() when the request left and when its whole answer had arrived. */
  start: number;
  end: number;
  /** Bytes of the request body and of the answer. */
  sent: number;
  received: number;
}

export interface WireRecorder {
  /** The requests recorded since the last take (and forgets them). */
  take(): WireRequest[];
  stop(): void;
}

const bearerDevice = (authorization: string | null) => (authorization?.startsWith('Bearer ') ? authorization.slice(7).split(':')[0]! : '');

export function recordWire(): WireRecorder {
  const original = globalThis.fetch;
  let requests: WireRequest[] = [];
  globalThis.fetch = async (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const kind: WireKind = url.pathname === '/v1/push' ? 'push' : url.pathname === '/v1/pull' ? 'pull' : 'other';
    const deviceId = bearerDevice(new Headers(init?.headers).get('authorization'));
    const sent = typeof init?.body === 'string' ? Buffer.byteLength(init.body) : 0;
    const start = performance.now();
    const response = await original(input, init);
    // The answer has arrived when its last byte has: read it here, hand the caller the same bytes.
    const body = await response.arrayBuffer();
    requests.push({ kind, deviceId, start, end: performance.now(), sent, received: body.byteLength });
    return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
  };
  return {
    take() {
      const taken = requests;
      requests = [];
      return taken;
    },
    stop() {
      globalThis.fetch = original;
    },
  };
}

export interface WireSummary {
  requests: number;
  /** Median and total time a request was out (server, PostgreSQL, the loopback). */
  medianMs: number;
  outSeconds: number;
  /** Time between one answer and the next request (the laptop's own work), in total. */
  betweenSeconds: number;
  megabytes: number;
}

/** One device's requests of one kind, back to back: how the wall time splits between waiting on the server and the laptop's own work. */
export function summariseWire(requests: readonly WireRequest[], from: number): WireSummary {
  const sorted = [...requests].sort((a, b) => a.start - b.start);
  const out = sorted.map((r) => r.end - r.start).sort((a, b) => a - b);
  let between = 0;
  let last = from;
  for (const r of sorted) {
    between += Math.max(0, r.start - last);
    last = r.end;
  }
  return {
    requests: sorted.length,
    medianMs: out.length ? out[Math.floor((out.length - 1) / 2)]! : 0,
    outSeconds: out.reduce((s, v) => s + v, 0) / 1000,
    betweenSeconds: between / 1000,
    megabytes: sorted.reduce((s, r) => s + r.sent + r.received, 0) / 1e6,
  };
}

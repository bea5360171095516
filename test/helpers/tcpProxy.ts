// Test support: a real TCP proxy on 127.0.0.1 between a laptop and a sync server that reads the
// HTTP/1.1 framing going through it, so a spec can cut one request short or keep its answer back,
// cut every connection, and await what happened on the wire ("the whole request went upstream",
// "the 3rd answer arrived") instead of sleeping.
import { createConnection, createServer, type Socket } from 'node:net';

export interface Exchange {
  /** 1, 2, 3, … over the proxy's life, in the order requests began. */
  index: number;
  method: string;
  /** The request target, query included. */
  path: string;
  /** The request's length on the wire: head and body. */
  requestBytes: number;
}

/** Which exchange a rule is for: the `nth` (default 1st) whose method and path (pathname, query left out) match, counted from when the rule is made. */
export interface ExchangeMatch {
  method?: string;
  path?: string;
  nth?: number;
}

/** What a spec can await of the exchange a rule caught. */
export interface Caught {
  /** Everything the rule lets through of the request was handed to the upstream socket. */
  forwarded: Promise<Exchange>;
  /** The head of the server's answer reached the proxy. */
  answered: Promise<Exchange>;
}

export interface TcpProxy {
  /** Like http://127.0.0.1:PORT. */
  url: string;
  /** Lets the head and the first `bodyBytes` of the matched request's body through, and keeps the rest back (until the connection is cut). */
  forwardPartially(bodyBytes: number, match: ExchangeMatch): Caught;
  /** Lets the matched request through, and keeps the server's answer at the proxy (until the connection is cut). */
  holdResponse(match: ExchangeMatch): Caught;
  /** Destroys every connection both ways; what was kept back is dropped. New connections are still taken. */
  cutAll(): Promise<void>;
  /** New connections go to this port of 127.0.0.1 (a server started again elsewhere). */
  repoint(port: number): void;
  /** Every exchange seen so far. */
  readonly exchanges: readonly Exchange[];
  close(): Promise<void>;
}

interface Deferred<T> {
  promise: Promise<T>;
  resolve(value: T): void;
}

function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/** How much of a request's body goes upstream before the rest is kept back. */
type BodyLimit = number | null;

interface Rule {
  match: ExchangeMatch;
  left: number;
  bodyLimit: BodyLimit;
  holdResponse: boolean;
  caught: { forwarded: Deferred<Exchange>; answered: Deferred<Exchange> };
}

interface Tracked {
  exchange: Exchange;
  rule: Rule | null;
  headBytes: number;
  /** Request bytes handed upstream so far. */
  sent: number;
}

const END_OF_HEAD = Buffer.from('\r\n\r\n');

function parseHead(head: Buffer): { startLine: string[]; contentLength: number | null } {
  const lines = head.toString('latin1').split('\r\n');
  const startLine = lines[0]!.split(' ');
  let contentLength: number | null = null;
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(':');
    const name = line.slice(0, colon).trim().toLowerCase();
    if (name === 'content-length') contentLength = Number(line.slice(colon + 1).trim());
    if (name === 'transfer-encoding') throw new Error('tcpProxy: chunked bodies are not followed; the sync wire always sends a content-length');
  }
  return { startLine, contentLength };
}

/**
 * Splits one direction of an HTTP/1.1 connection into messages: `onHead` gets each head and
 * says how long its body is; `onBytes` gets every byte in order, with the message it belongs to.
 */
function messageReader<M>(onHead: (head: Buffer) => { message: M; bodyBytes: number }, onBytes: (message: M, bytes: Buffer, endsMessage: boolean) => void) {
  let head = Buffer.alloc(0);
  let body: { message: M; left: number } | null = null;
  return (chunk: Buffer) => {
    let data = chunk;
    while (data.length > 0) {
      if (!body) {
        head = Buffer.concat([head, data]);
        const end = head.indexOf(END_OF_HEAD);
        if (end < 0) return;
        const headBytes = head.subarray(0, end + END_OF_HEAD.length);
        data = head.subarray(end + END_OF_HEAD.length);
        head = Buffer.alloc(0);
        const { message, bodyBytes } = onHead(headBytes);
        onBytes(message, headBytes, bodyBytes === 0);
        if (bodyBytes > 0) body = { message, left: bodyBytes };
        continue;
      }
      const part = data.subarray(0, Math.min(body.left, data.length));
      data = data.subarray(part.length);
      body.left -= part.length;
      const { message } = body;
      if (body.left === 0) body = null;
      onBytes(message, part, body === null);
    }
  };
}

function matches(match: ExchangeMatch, exchange: Exchange): boolean {
  if (match.method !== undefined && match.method !== exchange.method) return false;
  return match.path === undefined || match.path === exchange.path.split('?')[0];
}

/** Starts the proxy on a free port of 127.0.0.1, forwarding to `upstreamPort` there. */
export async function startTcpProxy(upstreamPort: number): Promise<TcpProxy> {
  let target = upstreamPort;
  let count = 0;
  const exchanges: Exchange[] = [];
  let rules: Rule[] = [];
  const sockets = new Set<Socket>();

  const ruleFor = (exchange: Exchange): Rule | null => {
    for (const rule of rules) {
      if (!matches(rule.match, exchange)) continue;
      if (--rule.left > 0) continue;
      rules = rules.filter((r) => r !== rule);
      return rule;
    }
    return null;
  };

  const server = createServer({ allowHalfOpen: true }, (client) => {
    const upstream = createConnection({ host: '127.0.0.1', port: target, allowHalfOpen: true });
    /** Once a rule keeps bytes back in a direction, nothing more goes that way (the order must hold) until the connection is cut. */
    let upKept = false;
    let downKept = false;
    const waiting: Tracked[] = [];

    /** Settles once every byte written upstream so far has been handed to the socket (write callbacks come in order). */
    let written = Promise.resolve();
    const up = (tracked: Tracked, bytes: Buffer, endsMessage: boolean) => {
      if (upKept) return;
      const limit = tracked.rule?.bodyLimit ?? null;
      const allowed = limit === null ? bytes.length : tracked.headBytes + limit - tracked.sent;
      const through = bytes.subarray(0, Math.max(0, allowed));
      const kept = bytes.subarray(through.length);
      tracked.sent += through.length;
      if (through.length > 0) written = new Promise((resolve) => upstream.write(through, () => resolve()));
      if (kept.length > 0 || endsMessage) void written.then(() => tracked.rule?.caught.forwarded.resolve(tracked.exchange));
      if (kept.length > 0) upKept = true;
    };
    const readRequests = messageReader<Tracked>((head) => {
      const { startLine, contentLength } = parseHead(head);
      const exchange: Exchange = { index: ++count, method: startLine[0]!, path: startLine[1]!, requestBytes: head.length + (contentLength ?? 0) };
      exchanges.push(exchange);
      const tracked: Tracked = { exchange, rule: ruleFor(exchange), headBytes: head.length, sent: 0 };
      waiting.push(tracked);
      return { message: tracked, bodyBytes: contentLength ?? 0 };
    }, up);

    const down = (tracked: Tracked | undefined, bytes: Buffer) => {
      if (tracked?.rule?.holdResponse) downKept = true;
      if (!downKept) client.write(bytes);
    };
    const readResponses = messageReader<Tracked | undefined>(
      (head) => {
        const { startLine, contentLength } = parseHead(head);
        const status = Number(startLine[1]);
        const tracked = status >= 200 ? waiting.shift() : waiting[0];
        if (tracked) tracked.rule?.caught.answered.resolve(tracked.exchange);
        const bodyless = status < 200 || status === 204 || status === 304 || tracked?.exchange.method === 'HEAD';
        return { message: tracked, bodyBytes: bodyless ? 0 : (contentLength ?? Number.POSITIVE_INFINITY) };
      },
      down,
    );

    client.on('data', readRequests);
    upstream.on('data', readResponses);
    // A half-close passes through; a socket that closes takes its peer with it.
    client.on('end', () => upstream.end());
    upstream.on('end', () => client.end());
    for (const [socket, peer] of [
      [client, upstream],
      [upstream, client],
    ] as const) {
      sockets.add(socket);
      socket.on('error', () => undefined);
      socket.on('close', () => {
        sockets.delete(socket);
        peer.destroy();
      });
    }
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as { port: number };

  const rule = (match: ExchangeMatch, bodyLimit: BodyLimit, holdResponse: boolean): Caught => {
    const caught = { forwarded: deferred<Exchange>(), answered: deferred<Exchange>() };
    rules.push({ match, left: match.nth ?? 1, bodyLimit, holdResponse, caught });
    return { forwarded: caught.forwarded.promise, answered: caught.answered.promise };
  };
  const cutAll = async () => {
    await Promise.all([...sockets].map((socket) => new Promise<void>((resolve) => socket.once('close', () => resolve()).destroy())));
  };

  return {
    url: `http://127.0.0.1:${port}`,
    forwardPartially: (bodyBytes, match) => rule(match, bodyBytes, false),
    holdResponse: (match) => rule(match, null, true),
    cutAll,
    repoint(next) {
      target = next;
    },
    get exchanges() {
      return exchanges;
    },
    async close() {
      rules = [];
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      await cutAll();
      await stopped;
    },
  };
}

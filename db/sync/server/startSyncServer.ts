import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { WaybillError } from '../../contract/waybillError.ts';
import { openPool } from './database.ts';
import { refusalOf, sendJson } from './http/answers.ts';
import { refuseDeclaredTooLarge } from './http/requestBody.ts';
import { routes, type RouteContext } from './http/routes.ts';
import { migrateSyncStore } from './migrateSyncStore.ts';
import { listenForNudges } from './nudges.ts';
import { createRateLimiter, DEFAULT_RATE_LIMIT, type RateLimitOptions } from './rateLimit.ts';
import { SyncRefusal } from './refusal.ts';
import { DEFAULT_SKEW_THRESHOLD_MS } from './skew.ts';

export interface SyncServerOptions {
  /** The PostgreSQL database the server keeps everything in; migrated at start. */
  databaseUrl: string;
  /** Default 127.0.0.1. Plain HTTP is refused on any other host unless `insecure`. */
  host?: string;
  /** Default 0: any free port. */
  port?: number;
  /** PEM texts: serve HTTPS. */
  tls?: { cert: string; key: string };
  insecure?: boolean;
  /** Per device, in this process. */
  rateLimit?: Partial<RateLimitOptions>;
  skewThresholdMs?: number;
  log?: (line: string) => void;
  /** The server's clock (enrolment expiry, received and seen times, skew); tests pass their own. */
  clock?: () => Date;
  /** PostgreSQL connections this process may open. */
  poolSize?: number;
}

export interface SyncServer {
  /** Like http://127.0.0.1:PORT. */
  url: string;
  close(): Promise<void>;
}

export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127(\.\d{1,3}){3}$/.test(host);
}

/** How long a refused oversize body may keep arriving after the answer (discarded), so the client can read the answer before the connection is cut. */
const LINGER_MS = 2000;

function lingerThenCut(request: IncomingMessage, response: ServerResponse): void {
  response.once('finish', () => {
    if (request.complete) return;
    const timer = setTimeout(() => request.socket.destroy(), LINGER_MS).unref();
    request.once('end', () => clearTimeout(timer));
    request.socket.once('close', () => clearTimeout(timer));
  });
}

async function handle(request: IncomingMessage, response: ServerResponse, context: RouteContext): Promise<void> {
  const url = new URL(request.url ?? '/', 'http://sync.invalid');
  try {
    const route = routes[`${request.method ?? ''} ${url.pathname}`];
    if (!route) throw new SyncRefusal('NOT_FOUND', `There is no route ${request.method} ${url.pathname} on the sync server (see db/contract/syncWire.ts).`);
    refuseDeclaredTooLarge(request);
    sendJson(response, 200, await route(request, response, context, url));
  } catch (error) {
    const { status, body, headers } = refusalOf(error);
    if (status === 500) context.log(`waybill sync: ${request.method} ${url.pathname} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    if (response.headersSent || response.destroyed) return;
    if (status === 413) lingerThenCut(request, response);
    sendJson(response, status, body, headers);
  }
}

function listen(server: Server, port: number, host: string): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(server.address() as AddressInfo);
    });
  });
}

/**
 * The sync server: HTTP(S) and JSON over the wire of db/contract/syncWire.ts, everything kept in
 * PostgreSQL, so several processes on one database serve the same devices.
 */
export async function startSyncServer(options: SyncServerOptions): Promise<SyncServer> {
  const host = options.host ?? '127.0.0.1';
  if (!options.tls && !options.insecure && !isLoopbackHost(host)) {
    throw new WaybillError('VALIDATION', `Plain HTTP on ${host} would send device secrets in the clear: give a TLS certificate and key, listen on 127.0.0.1, or pass insecure.`, {
      field: 'host',
      rule: 'plain_http_off_loopback',
    });
  }
  const log = options.log ?? (() => undefined);
  await migrateSyncStore(options.databaseUrl);
  const pool = openPool(options.databaseUrl, log, options.poolSize);
  const nudges = listenForNudges(options.databaseUrl, log);
  const closing = new AbortController();
  const context: RouteContext = {
    pool,
    nudges,
    limiter: createRateLimiter({ ...DEFAULT_RATE_LIMIT, ...options.rateLimit }),
    clock: options.clock ?? (() => new Date()),
    log,
    skewThresholdMs: options.skewThresholdMs ?? DEFAULT_SKEW_THRESHOLD_MS,
    skewed: new Set(),
    closing: closing.signal,
  };
  const inFlight = new Set<Promise<void>>();
  const onRequest = (request: IncomingMessage, response: ServerResponse) => {
    const handled = handle(request, response, context).finally(() => inFlight.delete(handled));
    inFlight.add(handled);
  };
  const server = options.tls ? createHttpsServer({ cert: options.tls.cert, key: options.tls.key }, onRequest) : createHttpServer(onRequest);
  let address: AddressInfo;
  try {
    address = await listen(server, options.port ?? 0, host);
  } catch (error) {
    await Promise.all([nudges.close(), pool.end()]);
    throw error;
  }
  const shownHost = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  const url = `${options.tls ? 'https' : 'http'}://${shownHost}:${address.port}`;
  let closed: Promise<void> | undefined;
  return {
    url,
    close() {
      closed ??= (async () => {
        closing.abort();
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        await Promise.all([...inFlight]);
        server.closeAllConnections();
        await stopped;
        await nudges.close();
        await pool.end();
      })();
      return closed;
    },
  };
}

import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { callPathPrefix, pushPath, tokenHeader, type Session } from '../contract/index.ts';
import type { CoreEndpoint } from '../core/endpoint.ts';
import { toErrorBody } from '../contract/waybillError.ts';
import { checkHost, checkOrigin, contentSecurityPolicy, cookieValue, securityHeaders, tokenCookie, tokensEqual } from './guards.ts';
import { createPushSockets } from './pushSocket.ts';
import { readStaticFile } from './staticFiles.ts';

export const maxBodyBytes = 1024 * 1024;

export interface BrowserHostOptions {
  /** The core's endpoint: every call the page makes goes to it with `session`. */
  core: CoreEndpoint;
  /** Who the page acts as: the host stamps it on every call (the page cannot choose it). */
  session: Session;
  /** The built renderer (vite's output folder). */
  staticDir: string;
  /** 0 or absent picks a free port. */
  port?: number;
}

export interface BrowserHost {
  /** The page address with the token in it: what the user opens. */
  url: string;
  token: string;
  port: number;
  close(): Promise<void>;
}

class HttpError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

function sendJson(response: ServerResponse, status: number, body: unknown, extra: Record<string, string> = {}): void {
  response.writeHead(status, { ...securityHeaders, 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...extra });
  response.end(JSON.stringify(body));
}

/** Refuses malformed bytes instead of replacing them with U+FFFD, which would record text nobody sent. */
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

function readBody(request: IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const declared = Number(request.headers['content-length'] ?? 0);
    if (declared > maxBodyBytes) return reject(new HttpError(413, `Request bodies are limited to ${maxBodyBytes} bytes.`));
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBodyBytes) {
        request.pause();
        reject(new HttpError(413, `Request bodies are limited to ${maxBodyBytes} bytes.`));
      } else chunks.push(chunk);
    });
    request.on('end', () => {
      let text: string;
      try {
        text = strictUtf8.decode(Buffer.concat(chunks));
      } catch {
        return reject(new HttpError(400, 'The request body is not valid UTF-8.'));
      }
      try {
        resolve(text === '' ? undefined : JSON.parse(text));
      } catch {
        reject(new HttpError(400, 'The request body is not valid JSON.'));
      }
    });
    request.on('error', reject);
  });
}

/**
 * Serves the built renderer and carries the contract on 127.0.0.1, guarded by a per-run secret
 * token: `POST /api/call/<operation>` with the input as the body answers the core's answer, and
 * `/api/push` streams every push topic. It parses and forwards; the core validates and decides.
 */
export async function startBrowserHost(options: BrowserHostOptions): Promise<BrowserHost> {
  const token = randomBytes(24).toString('base64url');
  const push = createPushSockets(options.core);
  let port = options.port ?? 0;

  async function handleApi(request: IncomingMessage, response: ServerResponse, pathname: string): Promise<void> {
    const origin = checkOrigin(request, { requireOrigin: false });
    if (origin) return sendJson(response, origin.status, { ok: false, error: { code: 'RULE', message: origin.message } });
    if (!tokensEqual(request.headers[tokenHeader] as string | undefined, token)) {
      return sendJson(response, 401, { ok: false, error: { code: 'RULE', message: 'The API token is missing or wrong.' } });
    }
    if (!pathname.startsWith(callPathPrefix)) return sendJson(response, 404, { ok: false, error: { code: 'NOT_FOUND', message: `No API route ${pathname}.` } });
    if (request.method !== 'POST') return sendJson(response, 405, { ok: false, error: { code: 'RULE', message: 'Use POST.' } });
    if (!(request.headers['content-type'] ?? '').startsWith('application/json')) {
      return sendJson(response, 415, { ok: false, error: { code: 'VALIDATION', message: 'Send the body as application/json.' } });
    }
    try {
      const input = await readBody(request);
      // Every answer, failures included, is a value: 200 with the core's answer.
      sendJson(response, 200, await options.core.call(options.session, pathname.slice(callPathPrefix.length), input));
    } catch (error) {
      // An unread body would poison a kept-alive connection, so such answers close it.
      const close: Record<string, string> = request.complete ? {} : { connection: 'close' };
      if (error instanceof HttpError) sendJson(response, error.status, { ok: false, error: { code: 'VALIDATION', message: error.message } }, close);
      else sendJson(response, 500, { ok: false, error: toErrorBody(error) }, close);
    }
  }

  async function handlePage(request: IncomingMessage, response: ServerResponse, url: URL): Promise<void> {
    if (request.method !== 'GET' && request.method !== 'HEAD') return sendJson(response, 405, { ok: false, error: { code: 'RULE', message: 'Use GET.' } });
    const given = url.searchParams.get('token') ?? cookieValue(request, tokenCookie(port));
    if (!tokensEqual(given, token)) {
      response.writeHead(401, { ...securityHeaders, 'content-type': 'text/plain; charset=utf-8' });
      return void response.end('Open the address printed by `npm run serve`: it carries the access token.\n');
    }
    const file = await readStaticFile(options.staticDir, url.pathname);
    if (!file) {
      response.writeHead(404, { ...securityHeaders, 'content-type': 'text/plain; charset=utf-8' });
      return void response.end('Not found.\n');
    }
    const headers: Record<string, string> = { ...securityHeaders, 'content-type': file.contentType };
    let body = file.body;
    if (file.contentType.startsWith('text/html')) {
      // The page reads its API token from here, so a reload or a second tab works without the token in the URL.
      body = Buffer.from(body.toString('utf8').replace('</head>', `<meta name="waybill-token" content="${token}" />\n  </head>`));
      headers['content-security-policy'] = contentSecurityPolicy(request.headers.host ?? `127.0.0.1:${port}`);
      headers['cache-control'] = 'no-store';
      // Scripts and styles the page loads carry no token of their own: a strict same-site cookie admits them.
      headers['set-cookie'] = `${tokenCookie(port)}=${token}; Path=/; HttpOnly; SameSite=Strict`;
    } else {
      headers['cache-control'] = file.immutable ? 'public, max-age=31536000, immutable' : 'no-cache';
    }
    response.writeHead(200, headers);
    response.end(request.method === 'HEAD' ? undefined : body);
  }

  const server = createServer((request, response) => {
    const host = checkHost(request, port);
    if (host) return sendJson(response, host.status, { ok: false, error: { code: 'RULE', message: host.message } });
    const url = new URL(request.url ?? '/', `http://127.0.0.1:${port}`);
    const work = url.pathname.startsWith('/api/') ? handleApi(request, response, url.pathname) : handlePage(request, response, url);
    work.catch((error: unknown) => {
      if (!response.headersSent) sendJson(response, 500, { ok: false, error: toErrorBody(error) });
      else response.destroy();
    });
  });

  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const refuse = (status: number, text: string) => {
      socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    };
    const url = new URL(request.url ?? '/', `http://127.0.0.1:${port}`);
    const guard = checkHost(request, port) ?? checkOrigin(request, { requireOrigin: false });
    if (guard) return refuse(403, 'Forbidden');
    if (url.pathname !== pushPath) return refuse(404, 'Not Found');
    if (!tokensEqual(url.searchParams.get('token'), token)) return refuse(401, 'Unauthorized');
    push.upgrade(request, socket, head);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    token,
    port,
    async close() {
      await push.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const tokenCookie = (port: number) => `waybill_token_${port}`;

const loopbackHosts = new Set(['127.0.0.1', 'localhost', '[::1]']);

export type GuardFailure = { status: 401 | 403; message: string };

/** Refuses DNS-rebinding: the Host header must name a loopback address on our port. */
export function checkHost(request: IncomingMessage, port: number): GuardFailure | null {
  const host = request.headers.host ?? '';
  const match = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(host);
  if (!match || !loopbackHosts.has(match[1]!.toLowerCase()) || Number(match[2] ?? 80) !== port) {
    return { status: 403, message: 'This server only answers on 127.0.0.1.' };
  }
  return null;
}

/** Refuses cross-site requests: an Origin, when present, must be this server; so must Sec-Fetch-Site. */
export function checkOrigin(request: IncomingMessage, options: { requireOrigin: boolean }): GuardFailure | null {
  const origin = request.headers.origin;
  const site = request.headers['sec-fetch-site'];
  if (site === 'cross-site' || site === 'same-site') return { status: 403, message: 'Cross-site requests are refused.' };
  if (origin === undefined) {
    return options.requireOrigin ? { status: 403, message: 'A same-origin Origin header is required.' } : null;
  }
  if (origin !== `http://${request.headers.host ?? ''}`) return { status: 403, message: 'Requests from other origins are refused.' };
  return null;
}

export function tokensEqual(given: string | undefined | null, token: string): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function cookieValue(request: IncomingMessage, name: string): string | null {
  const header = request.headers.cookie ?? '';
  for (const part of header.split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return rest.join('=');
  }
  return null;
}

/** The page may only load its own scripts and styles and talk back to this server. */
export function contentSecurityPolicy(host: string): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src 'self' ws://${host}`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
    "object-src 'none'",
  ].join('; ');
}

export const securityHeaders: Readonly<Record<string, string>> = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
};

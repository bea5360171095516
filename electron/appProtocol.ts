// Maps an app://waybill/… request to a file of the built renderer. Pure: the protocol handler in
// main.ts reads the file and adds the security headers.
import { extname, isAbsolute, relative, resolve, sep } from 'node:path';
import { appHost, appScheme } from './appOrigin.ts';

export type AppFileAnswer = { status: 200; file: string; contentType: string } | { status: 403 | 404 | 405; reason: string };

const contentTypes: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
};

export function contentTypeFor(file: string): string {
  return contentTypes[extname(file).toLowerCase()] ?? 'application/octet-stream';
}

export function resolveAppFile(url: string, method: string, rendererDir: string): AppFileAnswer {
  if (method !== 'GET' && method !== 'HEAD') return { status: 405, reason: `${method} is not allowed` };
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { status: 404, reason: 'not a URL' };
  }
  if (parsed.protocol !== `${appScheme}:` || parsed.host !== appHost) return { status: 403, reason: 'foreign origin' };
  let path: string;
  try {
    path = decodeURIComponent(parsed.pathname);
  } catch {
    return { status: 404, reason: 'malformed path' };
  }
  if (path.includes('\0') || path.includes('\\')) return { status: 404, reason: 'malformed path' };
  const wanted = path === '/' || path === '' ? 'index.html' : path.replace(/^\/+/, '');
  const root = resolve(rendererDir);
  const file = resolve(root, ...wanted.split('/'));
  const inside = relative(root, file);
  if (inside === '' || inside.startsWith(`..${sep}`) || inside === '..' || isAbsolute(inside)) {
    return { status: 403, reason: 'outside the renderer folder' };
  }
  return { status: 200, file, contentType: contentTypeFor(file) };
}

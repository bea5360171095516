import { readFile } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';

const contentTypes: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

export interface StaticFile {
  body: Buffer;
  contentType: string;
  /** Vite puts a content hash in every asset name, so those may be cached for good. */
  immutable: boolean;
}

/** Reads a file of the built renderer; null when the path is outside `root` or missing. */
export async function readStaticFile(root: string, pathname: string): Promise<StaticFile | null> {
  let relative: string;
  try {
    relative = pathname === '/' ? 'index.html' : decodeURIComponent(pathname).replace(/^\/+/, '');
  } catch {
    return null; // a malformed escape names no file
  }
  const base = resolve(root);
  const full = resolve(base, relative);
  if (!full.startsWith(base + sep)) return null;
  const contentType = contentTypes[extname(full)];
  if (contentType === undefined) return null;
  try {
    const body = await readFile(full);
    return { body, contentType, immutable: relative.startsWith('assets/') };
  } catch {
    return null;
  }
}

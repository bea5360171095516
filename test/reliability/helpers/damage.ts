// Byte-level damage to SQLite files, the way a bad sector or a stray program would do it.
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { closeSync, openSync, readFileSync, readSync, writeSync } from 'node:fs';

/** Where the b-tree page of a table or index starts, and the file's page size. */
function rootPage(file: string, name: string): { offset: number } {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const root = db.prepare('SELECT rootpage FROM sqlite_master WHERE name = ?').pluck().get(name) as number | undefined;
    if (!root) throw new Error(`${file} has no table or index ${name}`);
    const pageSize = db.pragma('page_size', { simple: true }) as number;
    return { offset: (root - 1) * pageSize + (root === 1 ? 100 : 0) };
  } finally {
    db.close();
  }
}

function writeByte(file: string, offset: number, value: number): void {
  const fd = openSync(file, 'r+');
  try {
    writeSync(fd, Buffer.from([value]), 0, 1, offset);
  } finally {
    closeSync(fd);
  }
}

/** Overwrites the page-type byte of the root page of `name` with an invalid type: structural damage. */
export function breakRootPage(file: string, name: string): void {
  writeByte(file, rootPage(file, name).offset, 0x00);
}

/**
 * Overwrites every occurrence of `text` in the file (live rows, and stale copies in free space)
 * with a same-length replacement: the structure stays valid, values change. Returns how many.
 */
export function alterText(file: string, text: string, replacement: string): number {
  if (Buffer.byteLength(replacement) !== Buffer.byteLength(text)) throw new Error('the replacement must have the same length');
  const bytes = readFileSync(file);
  const needle = Buffer.from(text, 'utf8');
  const fd = openSync(file, 'r+');
  let count = 0;
  try {
    for (let at = bytes.indexOf(needle); at >= 0; at = bytes.indexOf(needle, at + needle.length)) {
      writeSync(fd, Buffer.from(replacement, 'utf8'), 0, needle.length, at);
      count++;
    }
  } finally {
    closeSync(fd);
  }
  return count;
}

/** Overwrites the first `count` bytes (the "SQLite format 3" header) with garbage. */
export function breakHeader(file: string, count = 32): void {
  const fd = openSync(file, 'r+');
  try {
    const bytes = Buffer.alloc(count);
    readSync(fd, bytes, 0, count, 0);
    writeSync(fd, bytes.map((b) => b ^ 0x5a), 0, count, 0);
  } finally {
    closeSync(fd);
  }
}

export const fileHash = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Every file under `dir` with a hash of its bytes, to prove a session wrote nothing. SQLite's
 * readers use the -shm index of a WAL file (and create an empty -wal) even when read-only; those
 * hold no data, so they are left out.
 */
export function folderListing(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((name) => join(dir, name))
    .filter((path) => statSync(path).isFile() && !path.endsWith('-shm') && !(path.endsWith('-wal') && statSync(path).size === 0))
    .map((path) => `${path} ${createHash('sha256').update(readFileSync(path)).digest('hex')}`)
    .sort();
}

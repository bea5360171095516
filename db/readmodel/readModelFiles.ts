import { closeSync, existsSync, fsyncSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { ReadModelName } from '../contract/index.ts';

const ORPHAN_IDLE_MS = 10 * 60_000;

function lastTouched(path: string): number {
  let latest = 0;
  for (const suffix of ['', '-wal', '-journal']) {
    try {
      latest = Math.max(latest, statSync(path + suffix).mtimeMs);
    } catch {
      // no such companion file
    }
  }
  return latest;
}

/**
 * Each read model lives in its own file under `<data>/read/`. A small pointer file
 * (`<name>.current`) names the file that serves; a rebuild writes a new file and swaps the
 * pointer atomically (write + fsync + rename), so a crash mid-rebuild leaves the old one serving.
 */
export class ReadModelFiles {
  readonly dir: string;

  constructor(dataDir: string) {
    this.dir = join(dataDir, 'read');
    mkdirSync(this.dir, { recursive: true });
  }

  pointerPath(name: ReadModelName): string {
    return join(this.dir, `${name}.current`);
  }

  /** Path of the serving file; creates the pointer for a first generation if there is none. */
  current(name: ReadModelName): string {
    const pointer = this.pointerPath(name);
    if (existsSync(pointer)) {
      const file = readFileSync(pointer, 'utf8').trim();
      if (/^[a-z_]+\.[0-9a-z-]+\.db$/.test(file)) return join(this.dir, file);
    }
    const file = this.newFileName(name);
    this.writePointer(name, file);
    return join(this.dir, file);
  }

  /** A fresh file path for a rebuild; it serves only once `swap` points at it. */
  fresh(name: ReadModelName): string {
    return join(this.dir, this.newFileName(name));
  }

  swap(name: ReadModelName, path: string): void {
    this.writePointer(name, path.slice(this.dir.length + 1));
  }

  pointerStamp(name: ReadModelName): number {
    try {
      return statSync(this.pointerPath(name)).mtimeMs;
    } catch {
      return 0;
    }
  }

  /**
   * Removes a file and its WAL/SHM companions, best effort: another process may still hold it
   * open (Windows refuses the delete then); a later start removes it as an orphan.
   */
  remove(path: string): void {
    for (const suffix of ['', '-wal', '-shm', '-journal']) {
      try {
        rmSync(path + suffix, { force: true });
      } catch {
        // left for orphan cleanup
      }
    }
  }

  /**
   * Files of `name` that no pointer names and nobody touched for a while: leftovers of rebuilds
   * that crashed or were cancelled. Recent ones may be another process's rebuild in progress.
   */
  orphans(name: ReadModelName, idleMs = ORPHAN_IDLE_MS): string[] {
    const serving = this.current(name);
    const now = Date.now();
    return readdirSync(this.dir)
      .filter((f) => f.startsWith(`${name}.`) && f.endsWith('.db'))
      .map((f) => join(this.dir, f))
      .filter((p) => p !== serving && now - lastTouched(p) > idleMs);
  }

  private newFileName(name: ReadModelName): string {
    return `${name}.${Date.now().toString(36)}-${randomBytes(3).toString('hex')}.db`;
  }

  private writePointer(name: ReadModelName, file: string): void {
    const target = this.pointerPath(name);
    const temp = `${target}.${process.pid}.tmp`;
    const fd = openSync(temp, 'w');
    try {
      writeSync(fd, `${file}\n`);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, target);
    try {
      const dirFd = openSync(this.dir, 'r');
      fsyncSync(dirFd);
      closeSync(dirFd);
    } catch {
      // Directory fsync is not supported everywhere (Windows); the rename is still atomic.
    }
  }
}

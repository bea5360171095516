import type { ReadModelName } from '../contract/index.ts';
import type { ReadModelFiles } from '../readmodel/readModelFiles.ts';

/** How often the host looks whether another process (the CLI) swapped a rebuilt file in. */
const POINTER_POLL_MS = 1000;

/**
 * The files that serve: kept on disk while someone still reads one after it was swapped out (a
 * verify), removed once the last hold ends; and the pointers, watched for swaps another process made.
 */
export class ServingFiles {
  /** Files someone still reads outside the followers, by path: how many holds each has. */
  private readonly holds = new Map<string, number>();
  /** Swapped-out files whose removal waits for their last hold to end. */
  private readonly retired = new Set<string>();
  private readonly stamps = new Map<ReadModelName, number>();
  private timer: NodeJS.Timeout | null = null;

  constructor(readonly files: ReadModelFiles) {}

  /** Keeps `path` on disk until `release`, even if a rebuild swaps another in meanwhile. */
  hold(path: string): () => void {
    this.holds.set(path, (this.holds.get(path) ?? 0) + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.holds.get(path) ?? 1) - 1;
      if (left > 0) return void this.holds.set(path, left);
      this.holds.delete(path);
      if (this.retired.delete(path)) this.files.remove(path);
    };
  }

  /** A file that no longer serves: removed now, or when its last hold ends. */
  retire(path: string): void {
    if (this.holds.has(path)) this.retired.add(path);
    else this.files.remove(path);
  }

  /** Points `name` at `path` (this process's own swap: the watch does not report it back). */
  swap(name: ReadModelName, path: string): void {
    this.files.swap(name, path);
    this.stamps.set(name, this.files.pointerStamp(name));
  }

  /** Tells `changed` when a pointer moves under us (another process swapped a rebuilt file in). */
  watch(names: readonly ReadModelName[], changed: (name: ReadModelName, path: string) => void): void {
    for (const name of names) this.stamps.set(name, this.files.pointerStamp(name));
    this.timer = setInterval(() => {
      for (const name of names) {
        const stamp = this.files.pointerStamp(name);
        if (stamp === this.stamps.get(name)) continue;
        this.stamps.set(name, stamp);
        changed(name, this.files.current(name));
      }
    }, POINTER_POLL_MS);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }
}

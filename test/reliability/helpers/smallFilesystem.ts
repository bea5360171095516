// A real, small filesystem for the disk-full and read-only scenarios: a tmpfs mounted on a fresh
// temp folder. Mounting needs root with CAP_SYS_ADMIN (true here, and in CI when the container is
// privileged); elsewhere `mountTmpfs` answers null and the caller says what it skipped.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statfsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface SmallFilesystem {
  readonly path: string;
  freeBytes(): number;
  remount(mode: 'ro' | 'rw'): void;
  unmount(): void;
}

export function mountTmpfs(sizeBytes: number): SmallFilesystem | null {
  const path = mkdtempSync(join(tmpdir(), 'waybill-fs-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeBytes}`, 'tmpfs', path], { stdio: 'ignore' });
  } catch {
    rmSync(path, { recursive: true, force: true });
    return null;
  }
  let mounted = true;
  return {
    path,
    freeBytes() {
      const stats = statfsSync(path);
      return stats.bavail * stats.bsize;
    },
    remount(mode) {
      execFileSync('mount', ['-o', `remount,${mode}`, path], { stdio: 'ignore' });
    },
    unmount() {
      if (!mounted) return;
      execFileSync('umount', ['-l', path], { stdio: 'ignore' });
      mounted = false;
      rmSync(path, { recursive: true, force: true });
    },
  };
}

/** Whether this process may mount a tmpfs (tries once, with a 1 MB one). */
export const canMount: boolean = (() => {
  const probe = mountTmpfs(1024 * 1024);
  probe?.unmount();
  return probe !== null;
})();

// Temporary folders for one test file; `cleanup` removes every folder it made.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TempDirs {
  make(label?: string): string;
  cleanup(): void;
}

export function createTempDirs(prefix: string): TempDirs {
  const made: string[] = [];
  return {
    make(label = 'data') {
      const dir = mkdtempSync(join(tmpdir(), `waybill-${prefix}-${label}-`));
      made.push(dir);
      return dir;
    },
    cleanup() {
      for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
    },
  };
}

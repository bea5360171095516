import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onTestFinished } from 'vitest';

export interface TempDataDir {
  readonly path: string;
  /** A path inside the folder. */
  file(...parts: string[]): string;
  remove(): void;
}

/** A fresh, empty folder under the OS temp directory; the caller removes it. */
export function createTempDataDir(label = 'test'): TempDataDir {
  const path = mkdtempSync(join(tmpdir(), `waybill-${label}-`));
  return {
    path,
    file: (...parts) => join(path, ...parts),
    remove: () => rmSync(path, { recursive: true, force: true }),
  };
}

/**
 * A fresh folder for the current test, removed when the test finishes, pass or fail. Cleanups
 * registered later with onTestFinished (closing connections) run before the removal.
 */
export function tempDataDir(label?: string): TempDataDir {
  const dir = createTempDataDir(label);
  onTestFinished(() => dir.remove());
  return dir;
}

// Spawning TypeScript children under tsx and reading their JSON lines, for the crash scenarios.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));

export interface JsonChild {
  child: ChildProcess;
  /** Every complete JSON line printed so far, in order. */
  readonly lines: Record<string, unknown>[];
  stderr(): string;
  /** Resolves with the `count`-th line matching `test` (default the first), or null if the child exits first. */
  waitFor(test: (line: Record<string, unknown>) => boolean, count?: number): Promise<Record<string, unknown> | null>;
  /** SIGKILLs the child (if still running) and resolves once it is gone and its output is read. */
  kill(): Promise<void>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Runs `node --import tsx <script> ...args` from the repo root. */
export function spawnJsonChild(script: string, args: readonly string[]): JsonChild {
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: Record<string, unknown>[] = [];
  const waiters: { test: (line: Record<string, unknown>) => boolean; left: number; resolve: (line: Record<string, unknown> | null) => void }[] = [];
  let buffer = '';
  let errors = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    buffer += chunk;
    const parts = buffer.split('\n');
    buffer = parts.pop() ?? '';
    for (const part of parts) {
      if (part.trim() === '') continue;
      const line = JSON.parse(part) as Record<string, unknown>;
      lines.push(line);
      for (const waiter of waiters.slice()) {
        if (!waiter.test(line) || --waiter.left > 0) continue;
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(line);
      }
    }
  });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (errors += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('close', (code, signal) => {
      for (const waiter of waiters.splice(0)) waiter.resolve(null);
      resolve({ code, signal });
    }),
  );
  return {
    child,
    lines,
    stderr: () => errors,
    waitFor(test, count = 1) {
      const matching = lines.filter(test);
      if (matching.length >= count) return Promise.resolve(matching[count - 1]!);
      if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(null);
      return new Promise((resolve) => waiters.push({ test, left: count - matching.length, resolve }));
    },
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
    exited,
  };
}


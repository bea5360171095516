import type { Worker } from 'node:worker_threads';
import { startEntryThread, type BuiltFiles } from '../runtime/builtFiles.ts';

const STOP_GRACE_MS = 2000;

/** The thread that checkpoints the log's WAL in the background (db/log/walCheckpointer.ts), so appends never wait on one. */
export function startLogCheckpointer(files: BuiltFiles, logPath: string): { stop(): Promise<void> } {
  const thread: Worker = startEntryThread(files, 'walCheckpointer', { logPath, intervalMs: 500 });
  thread.unref();
  return {
    async stop() {
      thread.ref();
      const stopped = new Promise<void>((resolve) => thread.on('message', (m: { kind: string }) => m.kind === 'stopped' && resolve()));
      thread.postMessage({ kind: 'stop' });
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([stopped, new Promise((resolve) => (timer = setTimeout(resolve, STOP_GRACE_MS)))]);
      clearTimeout(timer);
      await thread.terminate();
    },
  };
}

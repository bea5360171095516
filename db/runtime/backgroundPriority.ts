import { setPriority } from 'node:os';
import { isMainThread } from 'node:worker_threads';

/** Nice value of background jobs: the scheduler serves the core's answers first on a busy machine. */
export const BACKGROUND_NICE = 10;

/**
 * Lowers the priority of the calling job (a rebuild or verify), so on a machine with fewer cores
 * than busy threads, a query's thread is scheduled before it. A process of its own lowers itself;
 * a worker thread only on Linux, where the nice value belongs to the thread (elsewhere it would
 * lower the whole core). Not permitted, or not supported: the job runs at normal priority.
 */
export function runAsBackgroundJob(): boolean {
  if (!isMainThread && process.platform !== 'linux') return false;
  try {
    setPriority(BACKGROUND_NICE);
    return true;
  } catch {
    return false;
  }
}

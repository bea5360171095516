import type { ReadModelVerdict } from '../readmodel/verifyReadModel.ts';
import type { ProjectionState, ReadModelName, RebuildProgress, VerifyReport } from '../contract/index.ts';

export interface FollowWorkerData {
  mode: 'follow';
  name: ReadModelName;
  logPath: string;
  readModelPath: string;
  batchSize: number;
  pollMs: number;
  /**
   * Test hook, off unless a test sets it: in the first batch that applies an event past
   * `pastPosition`, once the batch's rows are written and before its checkpoint moves, the worker
   * sets `stalled[0]` to 1 and blocks (Atomics.wait) until it is terminated, so a test can kill it
   * inside that transaction instead of after some milliseconds.
   */
  stallBeforeCheckpoint?: { pastPosition: number; stalled: SharedArrayBuffer };
}
export interface RebuildWorkerData {
  mode: 'rebuild';
  name: ReadModelName;
  logPath: string;
  targetPath: string;
  batchSize: number;
  /**
   * Test hook, off unless a test sets it: after this many batches the rebuild posts `paused` and
   * waits for `continue` (or `stop`; either sent earlier means no wait), so a test can act while
   * the file is half built.
   */
  pauseAfterBatch?: number;
}
export interface VerifyWorkerData {
  mode: 'verify';
  name: ReadModelName;
  logPath: string;
  servingPath: string;
  scratchPath: string;
}
/** The log's own check (integrity, gaps, guards, the hash chain over every event): a job, so it never holds up the core. */
export interface VerifyLogWorkerData {
  mode: 'verifyLog';
  logPath: string;
}
export type ProjectorWorkerData = FollowWorkerData | RebuildWorkerData | VerifyWorkerData | VerifyLogWorkerData;

export type ToWorker =
  | { kind: 'notify'; head: number }
  | { kind: 'stop' }
  /** Test hook: lets a rebuild paused by `pauseAfterBatch` go on. */
  | { kind: 'continue' }
  | { kind: 'deadLetter'; requestId: number; position: number; action: 'retry' | 'skip' };

export type FromWorker =
  | { kind: 'progress'; name: ReadModelName; checkpoint: number; head: number; state: ProjectionState; eventsPerSecond: number; error: string | null }
  | { kind: 'deadLetterDone'; requestId: number; error: string | null }
  | { kind: 'rebuild'; progress: RebuildProgress }
  | { kind: 'rebuildDone'; name: ReadModelName; checkpoint: number }
  | { kind: 'rebuildFailed'; name: ReadModelName; cancelled: boolean; error: string }
  | { kind: 'verified'; verdict: ReadModelVerdict | null; error: string | null }
  | { kind: 'logVerified'; log: VerifyReport['log'] | null; error: string | null }
  /** Test hook: a rebuild waiting after `pauseAfterBatch` batches. */
  | { kind: 'paused'; batches: number }
  | { kind: 'stopped' };

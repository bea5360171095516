import type { ReadModelVerdict } from '../readmodel/verifyReadModel.ts';
import type { ProjectionState, ReadModelName, RebuildProgress } from '../contract/index.ts';

export interface FollowWorkerData {
  mode: 'follow';
  name: ReadModelName;
  logPath: string;
  readModelPath: string;
  batchSize: number;
  pollMs: number;
}
export interface RebuildWorkerData {
  mode: 'rebuild';
  name: ReadModelName;
  logPath: string;
  targetPath: string;
  batchSize: number;
}
export interface VerifyWorkerData {
  mode: 'verify';
  name: ReadModelName;
  logPath: string;
  servingPath: string;
  scratchPath: string;
}
export type ProjectorWorkerData = FollowWorkerData | RebuildWorkerData | VerifyWorkerData;

export type ToWorker =
  | { kind: 'notify'; head: number }
  | { kind: 'stop' }
  | { kind: 'resume' }
  | { kind: 'deadLetter'; requestId: number; position: number; action: 'retry' | 'skip' };

export type FromWorker =
  | { kind: 'progress'; name: ReadModelName; checkpoint: number; head: number; state: ProjectionState; eventsPerSecond: number; error: string | null }
  | { kind: 'deadLetterDone'; requestId: number; error: string | null }
  | { kind: 'rebuild'; progress: RebuildProgress }
  | { kind: 'rebuildDone'; name: ReadModelName; checkpoint: number }
  | { kind: 'rebuildFailed'; name: ReadModelName; cancelled: boolean; error: string }
  | { kind: 'verified'; verdict: ReadModelVerdict | null; error: string | null }
  | { kind: 'stopped' };

// What the host and the core process say to each other over the process's own channel.
import type { PushTopic, Session, WaybillErrorBody } from '../../contract/index.ts';
import type { Durability } from '../../log/openEventLog.ts';
import type { BuiltFiles } from '../../runtime/builtFiles.ts';

/** How the host wants the data folder opened; sent on the core process's command line. */
export interface CoreProcessOptions {
  dataDir: string;
  readOnly?: boolean;
  durability?: Durability;
  rebuildConcurrency?: number;
  files: BuiltFiles;
  /**
   * Where rebuild and verify jobs start: `fork` — the core process forks them itself (Node);
   * `parent` — it asks its host, which alone can start processes (Electron's main process).
   */
  jobs: 'fork' | 'parent';
}

export type ToCore =
  | { kind: 'call'; id: number; session: Session; operation: unknown; input: unknown }
  /** From now on, send every push message. */
  | { kind: 'listen' }
  /** Serve the message port that comes with this message, as `session` (a window's channel). */
  | { kind: 'attach'; session: Session }
  | { kind: 'close' }
  | { kind: 'jobStarted'; jobId: number; pid: number | undefined }
  | { kind: 'jobMessage'; jobId: number; message: unknown }
  | { kind: 'jobExit'; jobId: number; code: number };

export type FromCore =
  | { kind: 'opened'; deviceId: string | null; readOnly: boolean }
  | { kind: 'failed'; error: WaybillErrorBody }
  | { kind: 'answer'; id: number; answer: unknown }
  | { kind: 'push'; topic: PushTopic; message: unknown }
  | { kind: 'closed' }
  | { kind: 'startJob'; jobId: number; entryFile: string; args: string[] }
  | { kind: 'jobPost'; jobId: number; message: unknown }
  | { kind: 'jobKill'; jobId: number };

import type { ReadModelName, VerifyReport } from '../contract/index.ts';
import type { ProjectionRuntimeState } from '../projector/projectionStates.ts';
import type { RebuildOutcome } from '../projector/runRebuild.ts';

export type { RebuildOutcome };
import type { ReadModelVerdict } from '../readmodel/verifyReadModel.ts';


/** How projection work runs: worker threads (desktop, browser mode) or inline (CLI, tests). */
export interface ProjectionEngine {
  notify(head: number): void;
  /** Inline engines catch up here; worker engines are already following the log. */
  beforeQuery(name: ReadModelName): Promise<void>;
  waitFor(name: ReadModelName, position: number, timeoutMs: number): Promise<boolean>;
  runtime(name: ReadModelName): Pick<ProjectionRuntimeState, 'state' | 'error' | 'eventsPerSecond' | 'rebuild'>;
  rebuild(name: ReadModelName): Promise<RebuildOutcome>;
  cancelRebuild(name: ReadModelName): void;
  deadLetter(name: ReadModelName, position: number, action: 'retry' | 'skip'): Promise<string | null>;
  verifyAll(): Promise<ReadModelVerdict[]>;
  /** The log's integrity, gaps, guards and hash chain (a job of its own where the engine has jobs). */
  verifyLog(): Promise<VerifyReport['log']>;
  close(): Promise<void>;
}

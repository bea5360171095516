import type { CommandResult, OperationOutput, ValidCommandRequest } from '../../contract/index.ts';
import type { PulledEvent } from '../../contract/syncWire.ts';
import type { PullApplied } from '../../write/applyPulled.ts';

export type SeedOutcome = OperationOutput<'seed'>;
export type ImportOutcome = OperationOutput<'import'>;

/** Who a command is recorded as: the session's actor, stamped by the host. */
export type RecordedBy = string;

/**
 * The single writer of the log, wherever it runs: on the calling thread (the CLI, tests) or in a
 * thread of its own (the apps), so an append, a seed or an import never holds up a query or a push.
 * Everything it appends goes through the one append path (db/log/eventLogWriter.ts).
 */
export interface CommandWriter {
  record(request: ValidCommandRequest, actor: RecordedBy): Promise<CommandResult>;
  /** Runs the seeder's demo history through the command path, chunk by chunk. */
  seed(input: { events: number; seed: number }, progress: (appended: number, target: number) => void): Promise<SeedOutcome>;
  /** Appends what an export holds that this log does not (idempotent by event id). */
  importFile(from: string): Promise<ImportOutcome>;
  /** Stores a page pulled from the sync server and the cursor, in one transaction. */
  applyPulled(page: readonly PulledEvent[]): Promise<PullApplied>;
  /** Told of every append, with the head it reached and how many events it added. */
  onAppended(listener: (head: number, count: number) => void): void;
  close(): Promise<void>;
}

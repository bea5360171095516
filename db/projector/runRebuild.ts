import type { ReadModelName, RebuildProgress } from '../contract/index.ts';
import type { ReadModelFiles } from '../readmodel/readModelFiles.ts';
import type { ProjectorChannel } from './jobProcess.ts';
import type { FromWorker } from './messages.ts';

/** How a rebuild ended: a crashed job is a failure worth retrying, a cancel is the caller's own doing. */
export type RebuildOutcome = { ok: true } | { ok: false; cancelled: boolean; error: string; retryable?: boolean };

export interface RebuildRun {
  name: ReadModelName;
  /** The job building `targetPath` (a thread or a process of its own). */
  job: ProjectorChannel;
  targetPath: string;
  files: Pick<ReadModelFiles, 'remove'>;
  /** Every phase, as it happens (the last one always: done, cancelled or failed). */
  progress(progress: RebuildProgress): void;
  /** The heavy part is over (the file is built; the swap remains): a scheduler may start the next one. */
  built(): void;
  /** Puts the built file in service: the one step the engines do their own way (a warm handover, or at once). */
  swapIn(targetPath: string): Promise<void>;
}

const last = (name: ReadModelName, phase: RebuildProgress['phase'], error?: string): RebuildProgress => ({
  name,
  phase,
  position: 0,
  target: 0,
  eventsPerSecond: 0,
  etaSeconds: null,
  ...(error === undefined ? {} : { error }),
});

/**
 * The one rebuild-and-swap: drives a rebuild job to its end, swaps its file in, and says how it
 * went. A job that stops without its answer crashed (killed, out of memory): a failure worth
 * retrying, never a cancellation; its partial file is removed and the current one keeps serving.
 */
export function runRebuild(run: RebuildRun): Promise<RebuildOutcome> {
  const { name, job, targetPath } = run;
  return new Promise((resolve) => {
    let settled = false;
    let answered = false;
    const finish = (outcome: RebuildOutcome) => {
      if (settled) return;
      settled = true;
      resolve(outcome);
    };
    const fail = (error: string) => {
      run.files.remove(targetPath);
      run.progress(last(name, 'failed', error));
      finish({ ok: false, cancelled: false, error, retryable: true });
    };
    job.on('message', (message: FromWorker) => {
      if (settled) return;
      if (message.kind === 'rebuild') run.progress(message.progress);
      else if (message.kind === 'rebuildDone') {
        answered = true;
        run.progress({ name, phase: 'swapping', position: message.checkpoint, target: message.checkpoint, eventsPerSecond: 0, etaSeconds: null });
        run.built();
        void run.swapIn(targetPath).then(
          () => {
            run.progress({ name, phase: 'done', position: message.checkpoint, target: message.checkpoint, eventsPerSecond: 0, etaSeconds: 0 });
            finish({ ok: true });
          },
          (error: unknown) => finish({ ok: false, cancelled: false, error: String(error) }),
        );
      } else if (message.kind === 'rebuildFailed' && !answered) {
        answered = true;
        run.files.remove(targetPath);
        run.progress(last(name, message.cancelled ? 'cancelled' : 'failed', message.error));
        finish({ ok: false, cancelled: message.cancelled, error: message.error });
      }
    });
    job.on('error', (error) => fail(`The rebuild of ${name} failed: ${error.message}; the current read model keeps serving.`));
    job.on('exit', (code) => {
      if (!answered) fail(`The rebuild of ${name} stopped (exit code ${code}) before it finished; the current read model keeps serving.`);
    });
  });
}

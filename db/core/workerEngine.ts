import { availableParallelism } from 'node:os';
import type { ReadModelName, VerifyReport } from '../contract/index.ts';
import type { FromWorker, ProjectorWorkerData, VerifyWorkerData } from '../projector/messages.ts';
import { ProjectorHost } from '../projector/projectorHost.ts';
import type { ProcessLauncher } from '../runtime/processLauncher.ts';
import type { BuiltFiles } from '../runtime/builtFiles.ts';
import type { Projection } from '../readmodel/projection.ts';
import type { ReadModelFiles } from '../readmodel/readModelFiles.ts';
import type { ReadModelVerdict } from '../readmodel/verifyReadModel.ts';
import type { ProjectionEngine, RebuildOutcome } from './projectionEngine.ts';
import type { PushHub } from './pushHub.ts';

/**
 * How many read models rebuild at once while followers keep the others live. Every rebuild is
 * CPU-bound; more of them than cores starve the followers (on 2 cores, six at once put the
 * write-to-read lag p99 at 120–230 ms during the rebuild, one at a time keeps it under 25 ms).
 */
export const defaultRebuildConcurrency = () => Math.max(1, availableParallelism() - 1);

/** Projection work in worker threads: one follower per read model, rebuild and verify workers on demand. */
export class WorkerEngine implements ProjectionEngine {
  readonly host: ProjectorHost;
  /** Rebuilds waiting for a slot, in the order they were asked for. */
  private readonly queued = new Map<ReadModelName, { start: () => void; cancel: () => void }>();
  private running = 0;

  constructor(
    private readonly projections: readonly Projection[],
    private readonly files: ReadModelFiles,
    private readonly logPath: string,
    /** A rebuilt file of `name` now serves: whoever reads read models must reopen it. */
    swapped: (name: ReadModelName) => void,
    push: PushHub,
    onProgress: (name: ReadModelName) => void,
    private readonly rebuildConcurrency = defaultRebuildConcurrency(),
    jobLauncher: ProcessLauncher | null,
    builtFiles: BuiltFiles,
  ) {
    this.host = new ProjectorHost(
      projections,
      files,
      logPath,
      {
        progress: (name) => onProgress(name),
        rebuild: (progress) => push.publish('rebuild', progress.name, () => progress),
        swapped,
      },
      { jobLauncher, files: builtFiles },
    );
  }

  start(head: number, checkpoints: ReadonlyMap<ReadModelName, number>): void {
    this.host.start(head, checkpoints);
  }

  notify(head: number): void {
    this.host.notify(head);
  }

  async beforeQuery(): Promise<void> {}

  waitFor(name: ReadModelName, position: number, timeoutMs: number): Promise<boolean> {
    return this.host.waitFor(name, position, timeoutMs);
  }

  runtime(name: ReadModelName) {
    return this.host.state(name);
  }

  rebuild(name: ReadModelName): Promise<RebuildOutcome> {
    if (this.queued.has(name) || this.host.isRebuilding(name)) return Promise.resolve({ ok: false, cancelled: false, error: `${name} is already rebuilding.` });
    return new Promise((resolve) => {
      this.queued.set(name, {
        start: () => {
          this.queued.delete(name);
          this.running++;
          let slotHeld = true;
          // The slot is for the CPU-heavy build; the handover to the rebuilt file's follower is light.
          const releaseSlot = () => {
            if (!slotHeld) return;
            slotHeld = false;
            this.running--;
            this.startQueued();
          };
          void this.host.rebuild(name, releaseSlot).then((outcome) => {
            releaseSlot();
            resolve(outcome);
          });
        },
        cancel: () => {
          this.queued.delete(name);
          const error = `The rebuild of ${name} was cancelled before it started; the current read model keeps serving.`;
          this.host.unqueue(name, error);
          resolve({ ok: false, cancelled: true, error });
        },
      });
      this.startQueued();
      if (this.queued.has(name)) this.host.markQueued(name);
    });
  }

  cancelRebuild(name: ReadModelName): void {
    const waiting = this.queued.get(name);
    if (waiting) waiting.cancel();
    else this.host.cancelRebuild(name);
  }

  private startQueued(): void {
    for (const waiting of this.queued.values()) {
      if (this.running >= this.rebuildConcurrency) return;
      waiting.start();
    }
  }

  deadLetter(name: ReadModelName, position: number, action: 'retry' | 'skip'): Promise<string | null> {
    return this.host.deadLetter(name, position, action);
  }

  /** Each read model against a scratch rebuild, as many at once as rebuilds may run: six at once only made them share the cores. */
  async verifyAll(): Promise<ReadModelVerdict[]> {
    const verdicts: ReadModelVerdict[] = new Array(this.projections.length);
    let next = 0;
    const lane = async () => {
      while (next < this.projections.length) {
        const index = next++;
        verdicts[index] = await this.verifyOne(this.projections[index]!.name);
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.rebuildConcurrency, this.projections.length) }, lane));
    return verdicts;
  }

  close(): Promise<void> {
    for (const waiting of [...this.queued.values()]) waiting.cancel();
    return this.host.close();
  }

  /** The log's check as a job, so a hash over the whole log never holds up the core's calls. */
  verifyLog(): Promise<VerifyReport['log']> {
    return this.answerOf('the log', { mode: 'verifyLog', logPath: this.logPath }, (message) => (message.kind === 'logVerified' ? message.log ?? new Error(message.error ?? 'unknown error') : undefined));
  }

  private verifyOne(name: ReadModelName): Promise<ReadModelVerdict> {
    const serving = this.host.holdServingFile(name);
    const data: VerifyWorkerData = { mode: 'verify', name, logPath: this.logPath, servingPath: serving.path, scratchPath: this.files.fresh(name).replace(/\.db$/, '.verify.db') };
    return this.answerOf(name, data, (message) => (message.kind === 'verified' ? message.verdict ?? new Error(message.error ?? 'unknown error') : undefined)).finally(serving.release);
  }

  /** Starts a one-shot job and resolves with what `answer` makes of its message, or rejects when it fails or stops without one. */
  private answerOf<T>(what: string, data: ProjectorWorkerData, answer: (message: FromWorker) => T | Error | undefined): Promise<T> {
    const job = this.host.startJob(data);
    return new Promise<T>((resolve, reject) => {
      job.on('message', (message: FromWorker) => {
        const result = answer(message);
        if (result instanceof Error) reject(new Error(`Verifying ${what} failed: ${result.message}`));
        else if (result !== undefined) resolve(result);
      });
      job.on('error', reject);
      job.on('exit', (code) => reject(new Error(`Verifying ${what} failed: its job stopped (exit code ${code}) without an answer.`)));
    });
  }
}

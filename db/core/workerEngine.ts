import type { ReadModelName } from '../contract.ts';
import type { FromWorker, VerifyWorkerData } from '../projector/messages.ts';
import { ProjectorHost } from '../projector/projectorHost.ts';
import { spawnWorker } from '../projector/spawnWorker.ts';
import type { Projection } from '../readmodel/projection.ts';
import type { ReadModelFiles } from '../readmodel/readModelFiles.ts';
import type { ReadModelVerdict } from '../readmodel/verifyReadModel.ts';
import type { ProjectionEngine, RebuildOutcome } from './projectionEngine.ts';
import type { PushHub } from './pushHub.ts';
import type { ReadModelReaders } from './readModelReaders.ts';

/** Projection work in worker threads: one follower per read model, rebuild and verify workers on demand. */
export class WorkerEngine implements ProjectionEngine {
  readonly host: ProjectorHost;

  constructor(
    private readonly projections: readonly Projection[],
    private readonly files: ReadModelFiles,
    private readonly logPath: string,
    readers: ReadModelReaders,
    push: PushHub,
    onProgress: (name: ReadModelName) => void,
  ) {
    this.host = new ProjectorHost(projections, files, logPath, {
      progress: (name) => onProgress(name),
      rebuild: (progress) => push.publish('rebuild', progress.name, () => progress),
      swapped: (name) => readers.reopen(name),
    });
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
    return this.host.rebuild(name);
  }

  cancelRebuild(name: ReadModelName): void {
    this.host.cancelRebuild(name);
  }

  deadLetter(name: ReadModelName, position: number, action: 'retry' | 'skip'): Promise<string | null> {
    return this.host.deadLetter(name, position, action);
  }

  async verifyAll(): Promise<ReadModelVerdict[]> {
    return Promise.all(this.projections.map((p) => this.verifyOne(p.name)));
  }

  close(): Promise<void> {
    return this.host.close();
  }

  private verifyOne(name: ReadModelName): Promise<ReadModelVerdict> {
    const worker = spawnWorker('projectorWorker', {
      mode: 'verify',
      name,
      logPath: this.logPath,
      servingPath: this.files.current(name),
      scratchPath: this.files.fresh(name).replace(/\.db$/, '.verify.db'),
    } satisfies VerifyWorkerData);
    return new Promise((resolve, reject) => {
      worker.on('message', (message: FromWorker) => {
        if (message.kind !== 'verified') return;
        if (message.verdict) resolve(message.verdict);
        else reject(new Error(`Verifying ${name} failed: ${message.error ?? 'unknown error'}`));
      });
      worker.on('error', reject);
    });
  }
}

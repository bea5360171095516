import type { Worker } from 'node:worker_threads';
import type { ReadModelName } from '../contract/index.ts';
import { startEntryThread, type BuiltFiles } from '../runtime/builtFiles.ts';
import type { FromWorker, ProjectorWorkerData, ToWorker } from './messages.ts';

/** A thread following the log into one read-model file. */
export interface Follower {
  readonly name: ReadModelName;
  readonly worker: Worker;
  readonly path: string;
  readonly stopped: Promise<void>;
  /** The checkpoint it last reported (-1 before its first report), and who wants to hear of the next. */
  checkpoint: number;
  onProgress: (() => void) | null;
}

export type FollowerProgress = Extract<FromWorker, { kind: 'progress' }>;

/** How long a follower told to stop may take to commit its batch before it is ended. */
const STOP_GRACE_MS = 10_000;

/**
 * The follower threads: one serving each read model (it speaks for the model: its progress is the
 * model's), and standby ones warming up on a rebuilt file before they take over.
 */
export class Followers {
  private readonly serving = new Map<ReadModelName, Follower>();
  private readonly standby = new Set<Follower>();
  private readonly pending = new Map<number, (error: string | null) => void>();
  private nextRequestId = 1;
  private head = 0;

  constructor(
    private readonly options: { files: BuiltFiles; logPath: string; batchSize: number; pollMs: number },
    private readonly events: {
      /** What the serving follower of `name` reported. */
      progress(name: ReadModelName, progress: FollowerProgress): void;
      /** The serving follower of `name` crashed. */
      crashed(name: ReadModelName, error: Error): void;
    },
  ) {}

  /** The follower serving `name`, if one runs. */
  of(name: ReadModelName): Follower | undefined {
    return this.serving.get(name);
  }

  /** Starts a follower on `path`; as the serving one of `name`, or on standby (a rebuilt file warming up). */
  start(name: ReadModelName, path: string, role: 'serving' | 'standby'): Follower {
    const worker = startEntryThread(this.options.files, 'projector', {
      mode: 'follow',
      name,
      logPath: this.options.logPath,
      readModelPath: path,
      batchSize: this.options.batchSize,
      pollMs: this.options.pollMs,
    } satisfies ProjectorWorkerData);
    let markStopped!: () => void;
    const stopped = new Promise<void>((resolve) => (markStopped = resolve));
    const follower: Follower = { name, worker, path, stopped, checkpoint: -1, onProgress: null };
    worker.on('message', (message: FromWorker) => {
      if (message.kind === 'progress') {
        follower.checkpoint = message.checkpoint;
        follower.onProgress?.();
        if (this.serving.get(name) === follower) this.events.progress(name, message);
      } else if (message.kind === 'deadLetterDone') {
        this.pending.get(message.requestId)?.(message.error);
        this.pending.delete(message.requestId);
      }
    });
    worker.on('error', (error) => {
      // A follower being replaced (after a swap) no longer speaks for this read model.
      if (this.serving.get(name) === follower) this.events.crashed(name, error);
    });
    worker.on('exit', () => {
      markStopped();
      follower.onProgress?.();
    });
    if (role === 'serving') this.serving.set(name, follower);
    else this.standby.add(follower);
    if (this.head > 0) worker.postMessage({ kind: 'notify', head: this.head } satisfies ToWorker);
    return follower;
  }

  /** A standby follower takes over `name`; resolves once the one it replaces has stopped. */
  async promote(follower: Follower): Promise<void> {
    this.standby.delete(follower);
    const old = this.serving.get(follower.name);
    this.serving.set(follower.name, follower);
    if (old) await this.stop(old);
  }

  notify(head: number): void {
    this.head = Math.max(this.head, head);
    for (const follower of this.serving.values()) follower.worker.postMessage({ kind: 'notify', head } satisfies ToWorker);
  }

  deadLetter(name: ReadModelName, position: number, action: 'retry' | 'skip'): Promise<string | null> {
    const follower = this.serving.get(name);
    if (!follower) return Promise.resolve(`${name} is not running.`);
    const requestId = this.nextRequestId++;
    return new Promise((resolve) => {
      this.pending.set(requestId, resolve);
      follower.worker.postMessage({ kind: 'deadLetter', requestId, position, action } satisfies ToWorker);
    });
  }

  /** Resolves once `follower` reported `target()` or beyond, stopped, or `timeoutMs` passed. */
  caughtUp(follower: Follower, target: () => number, timeoutMs: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, timeoutMs);
      timer.unref();
      function done() {
        clearTimeout(timer);
        follower.onProgress = null;
        resolve();
      }
      follower.onProgress = () => {
        if (follower.checkpoint >= target()) done();
      };
      void follower.stopped.then(done);
    });
  }

  /** Stops the serving follower of `name`; from here on its last messages are ignored. */
  async stopServing(name: ReadModelName): Promise<void> {
    const follower = this.serving.get(name);
    if (!follower) return;
    this.serving.delete(name);
    await this.stop(follower);
  }

  /** Lets a follower commit its batch and close, then ends its thread. */
  async stop(follower: Follower): Promise<void> {
    this.standby.delete(follower);
    follower.worker.postMessage({ kind: 'stop' } satisfies ToWorker);
    const timeout = new Promise<void>((resolve) => setTimeout(resolve, STOP_GRACE_MS).unref());
    await Promise.race([follower.stopped, timeout]);
    await follower.worker.terminate();
  }

  async stopAll(): Promise<void> {
    await Promise.all([...this.serving.keys()].map((name) => this.stopServing(name)));
    await Promise.all([...this.standby].map((follower) => this.stop(follower)));
  }
}

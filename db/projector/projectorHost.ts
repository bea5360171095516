import type { Worker } from 'node:worker_threads';
import type { ProjectionState, ReadModelName, RebuildProgress } from '../contract/index.ts';
import type { Projection } from '../readmodel/projection.ts';
import type { ReadModelFiles } from '../readmodel/readModelFiles.ts';
import type { ProcessLauncher } from '../runtime/processLauncher.ts';
import { startProjectorJob, type ProjectorChannel } from './jobProcess.ts';
import type { FromWorker, ProjectorWorkerData, ToWorker } from './messages.ts';
import { startEntryThread, type BuiltFiles } from '../runtime/builtFiles.ts';

export interface ProjectionRuntimeState {
  checkpoint: number;
  state: ProjectionState;
  eventsPerSecond: number;
  error: string | null;
  rebuild: RebuildProgress | null;
}

/** How a rebuild ended: a crashed job is a failure worth retrying, a cancel is the caller's own doing. */
export type RebuildOutcome = { ok: true } | { ok: false; cancelled: boolean; error: string; retryable?: boolean };

export interface ProjectorHostEvents {
  progress(name: ReadModelName, state: ProjectionRuntimeState): void;
  rebuild(progress: RebuildProgress): void;
  /** The serving file of `name` changed: readers must reopen. */
  swapped(name: ReadModelName): void;
}

interface Follower {
  worker: Worker;
  path: string;
  stopped: Promise<void>;
  /** The checkpoint it last reported (-1 before its first report), and who wants to hear of the next. */
  checkpoint: number;
  onProgress: (() => void) | null;
}

/** How long a rebuilt file's follower may take to catch up before it takes over anyway. */
const HANDOVER_TIMEOUT_MS = 30_000;

/**
 * Runs one worker thread per projection that follows the log, and rebuild jobs on demand.
 * Knows nothing of parcels: it moves messages, tracks checkpoints and swaps files.
 */
export class ProjectorHost {
  private readonly followers = new Map<ReadModelName, Follower>();
  /** Followers of rebuilt files warming up before they take over (see swapIn). */
  private readonly standby = new Set<Follower>();
  private readonly rebuilds = new Map<ReadModelName, ProjectorChannel>();
  private readonly states = new Map<ReadModelName, ProjectionRuntimeState>();
  /** What each follower last said of itself; shown again once a rebuild ends. */
  private readonly followerStates = new Map<ReadModelName, ProjectionState>();
  private readonly waiters = new Set<{ name: ReadModelName; position: number; resolve: () => void }>();
  private readonly pointerStamps = new Map<ReadModelName, number>();
  private readonly pending = new Map<number, (error: string | null) => void>();
  /** Files someone still reads outside the followers (a verify), by path: how many holds each has. */
  private readonly holds = new Map<string, number>();
  /** Swapped-out files whose removal waits for their last hold to end. */
  private readonly retired = new Set<string>();
  private nextRequestId = 1;
  private head = 0;
  private closed = false;
  private pointerTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly projections: readonly Projection[],
    private readonly files: ReadModelFiles,
    private readonly logPath: string,
    private readonly events: ProjectorHostEvents,
    private readonly options: {
      /** Where the bundled projector entry is. */
      files: BuiltFiles;
      batchSize?: number;
      pollMs?: number;
      /** Starts rebuild and verify jobs as processes of their own; null runs them in worker threads. */
      jobLauncher?: ProcessLauncher | null;
    },
  ) {}

  /** A rebuild or verify job, where the host's options say it runs. */
  startJob(data: ProjectorWorkerData): ProjectorChannel {
    return startProjectorJob(this.options.files, data, this.options.jobLauncher ?? null);
  }

  start(head: number, initialCheckpoints: ReadonlyMap<ReadModelName, number>): void {
    this.head = head;
    for (const p of this.projections) {
      this.states.set(p.name, {
        checkpoint: initialCheckpoints.get(p.name) ?? 0,
        state: 'idle',
        eventsPerSecond: 0,
        error: null,
        rebuild: null,
      });
      this.pointerStamps.set(p.name, this.files.pointerStamp(p.name));
      this.follow(p.name, this.files.current(p.name));
    }
    // Another process (the CLI) may swap a rebuilt file in: follow the pointer.
    this.pointerTimer = setInterval(() => this.checkPointers(), 1000);
    this.pointerTimer.unref();
  }

  state(name: ReadModelName): ProjectionRuntimeState {
    return this.states.get(name)!;
  }

  notify(head: number): void {
    this.head = Math.max(this.head, head);
    for (const follower of this.followers.values()) follower.worker.postMessage({ kind: 'notify', head } satisfies ToWorker);
  }

  /** Resolves true once `name` has applied `position`, false on timeout. */
  waitFor(name: ReadModelName, position: number, timeoutMs: number): Promise<boolean> {
    if (this.state(name).checkpoint >= position) return Promise.resolve(true);
    return new Promise((resolve) => {
      const waiter = {
        name,
        position,
        resolve: () => {
          clearTimeout(timer);
          this.waiters.delete(waiter);
          resolve(true);
        },
      };
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        resolve(false);
      }, timeoutMs);
      this.waiters.add(waiter);
    });
  }

  /**
   * The serving file of `name`, kept on disk until `release` even if a rebuild swaps another in
   * meanwhile: a verify worker reading it must not find it deleted under it.
   */
  holdServingFile(name: ReadModelName): { path: string; release: () => void } {
    const path = this.followers.get(name)?.path ?? this.files.current(name);
    this.holds.set(path, (this.holds.get(path) ?? 0) + 1);
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      const left = (this.holds.get(path) ?? 1) - 1;
      if (left > 0) return void this.holds.set(path, left);
      this.holds.delete(path);
      if (this.retired.delete(path)) this.files.remove(path);
    };
    return { path, release };
  }

  isRebuilding(name: ReadModelName): boolean {
    return this.rebuilds.has(name);
  }

  /**
   * Builds a fresh file in the background while the current one keeps serving, then swaps.
   * `onBuilt` is told when the heavy part is over (the file is built; the handover to its
   * follower remains), so a scheduler can start the next rebuild meanwhile.
   */
  rebuild(name: ReadModelName, onBuilt: () => void = () => {}): Promise<RebuildOutcome> {
    if (this.rebuilds.has(name)) return Promise.resolve({ ok: false, cancelled: false, error: `${name} is already rebuilding.` });
    const targetPath = this.files.fresh(name);
    const worker = this.startJob({
      mode: 'rebuild',
      name,
      logPath: this.logPath,
      targetPath,
      batchSize: 10_000,
    } satisfies ProjectorWorkerData);
    this.rebuilds.set(name, worker);
    if (this.state(name).state !== 'halted') this.update(name, { state: 'rebuilding' });
    if (this.state(name).rebuild?.phase === 'queued') {
      // Its slot came: no longer queued, though its job has not reported yet.
      const starting: RebuildProgress = { name, phase: 'loading', position: 0, target: this.head, eventsPerSecond: 0, etaSeconds: null };
      this.update(name, { rebuild: starting });
      this.events.rebuild(starting);
    }
    return new Promise((resolve) => {
      let settled = false;
      let answered = false;
      const finish = (result: RebuildOutcome) => {
        if (settled) return;
        settled = true;
        this.rebuilds.delete(name);
        const follower = this.followerStates.get(name) ?? 'idle';
        this.update(name, { rebuild: null, ...(this.state(name).state === 'rebuilding' ? { state: follower } : {}) });
        resolve(result);
      };
      worker.on('message', (message: FromWorker) => {
        if (settled) return;
        if (message.kind === 'rebuild') {
          this.update(name, { rebuild: message.progress });
          this.events.rebuild(message.progress);
        } else if (message.kind === 'rebuildDone') {
          answered = true;
          const swapping: RebuildProgress = { name, phase: 'swapping', position: message.checkpoint, target: message.checkpoint, eventsPerSecond: 0, etaSeconds: null };
          this.update(name, { rebuild: swapping });
          this.events.rebuild(swapping);
          onBuilt();
          void this.swapIn(name, targetPath).then(
            () => {
              this.events.rebuild({ name, phase: 'done', position: message.checkpoint, target: message.checkpoint, eventsPerSecond: 0, etaSeconds: 0 });
              finish({ ok: true });
            },
            (error: unknown) => finish({ ok: false, cancelled: false, error: String(error) }),
          );
        } else if (message.kind === 'rebuildFailed') {
          if (answered) return;
          answered = true;
          this.files.remove(targetPath);
          this.events.rebuild({
            name,
            phase: message.cancelled ? 'cancelled' : 'failed',
            position: 0,
            target: 0,
            eventsPerSecond: 0,
            etaSeconds: null,
            error: message.error,
          });
          finish({ ok: false, cancelled: message.cancelled, error: message.error });
        }
      });
      const fail = (error: string) => {
        this.files.remove(targetPath);
        this.events.rebuild({ name, phase: 'failed', position: 0, target: 0, eventsPerSecond: 0, etaSeconds: null, error });
        finish({ ok: false, cancelled: false, error, retryable: true });
      };
      worker.on('error', (error) => fail(`The rebuild of ${name} failed: ${error.message}; the current read model keeps serving.`));
      worker.on('exit', (code) => {
        // A job that stops without its answer crashed (killed, out of memory): a failure, even if a cancel was asked for meanwhile.
        if (!answered) fail(`The rebuild of ${name} stopped (exit code ${code}) before it finished; the current read model keeps serving.`);
      });
    });
  }

  cancelRebuild(name: ReadModelName): void {
    this.rebuilds.get(name)?.postMessage({ kind: 'stop' } satisfies ToWorker);
  }

  /** A rebuild asked for but waiting for a slot: shown as `queued` until it starts or is called off. */
  markQueued(name: ReadModelName): void {
    const queued: RebuildProgress = { name, phase: 'queued', position: 0, target: 0, eventsPerSecond: 0, etaSeconds: null };
    this.update(name, { rebuild: queued });
    this.events.rebuild(queued);
  }

  /** A queued rebuild called off before it started. */
  unqueue(name: ReadModelName, error: string): void {
    if (this.state(name).rebuild?.phase !== 'queued') return;
    this.update(name, { rebuild: null });
    this.events.rebuild({ name, phase: 'cancelled', position: 0, target: 0, eventsPerSecond: 0, etaSeconds: null, error });
  }

  deadLetter(name: ReadModelName, position: number, action: 'retry' | 'skip'): Promise<string | null> {
    const follower = this.followers.get(name);
    if (!follower) return Promise.resolve(`${name} is not running.`);
    const requestId = this.nextRequestId++;
    return new Promise((resolve) => {
      this.pending.set(requestId, resolve);
      follower.worker.postMessage({ kind: 'deadLetter', requestId, position, action } satisfies ToWorker);
    });
  }

  /** Stops rebuilds (their files are discarded) and lets every follower commit its batch and close. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.pointerTimer) clearInterval(this.pointerTimer);
    for (const [name, worker] of this.rebuilds) {
      this.cancelRebuild(name);
      await worker.terminate();
    }
    await Promise.all([...this.followers.keys()].map((name) => this.stopFollower(name)));
    await Promise.all([...this.standby].map((follower) => this.stopWorker(follower)));
    for (const waiter of this.waiters) waiter.resolve();
  }

  private follow(name: ReadModelName, path: string, { register = true } = {}): Follower {
    const worker = startEntryThread(this.options.files, 'projector', {
      mode: 'follow',
      name,
      logPath: this.logPath,
      readModelPath: path,
      batchSize: this.options.batchSize ?? 2000,
      pollMs: this.options.pollMs ?? 250,
    } satisfies ProjectorWorkerData);
    let markStopped!: () => void;
    const stopped = new Promise<void>((resolve) => (markStopped = resolve));
    const follower: Follower = { worker, path, stopped, checkpoint: -1, onProgress: null };
    worker.on('message', (message: FromWorker) => {
      if (message.kind === 'progress') {
        follower.checkpoint = message.checkpoint;
        follower.onProgress?.();
      }
      if (message.kind === 'progress' && this.followers.get(name)?.worker === worker) {
        this.followerStates.set(name, message.state);
        this.update(name, {
          checkpoint: message.checkpoint,
          state: this.rebuilds.has(name) && message.state !== 'halted' ? 'rebuilding' : message.state,
          eventsPerSecond: message.eventsPerSecond,
          error: message.error,
        });
      } else if (message.kind === 'deadLetterDone') {
        this.pending.get(message.requestId)?.(message.error);
        this.pending.delete(message.requestId);
      }
    });
    worker.on('error', (error) => {
      // A follower being replaced (after a swap) no longer speaks for this read model.
      if (this.followers.get(name)?.worker !== worker) return;
      this.update(name, { state: 'halted', error: `The projector worker crashed: ${error.message}` });
    });
    worker.on('exit', () => {
      markStopped();
      follower.onProgress?.();
    });
    if (register) this.followers.set(name, follower);
    if (this.head > 0) worker.postMessage({ kind: 'notify', head: this.head } satisfies ToWorker);
    return follower;
  }

  private async stopFollower(name: ReadModelName): Promise<void> {
    const follower = this.followers.get(name);
    if (!follower) return;
    // From here on it no longer speaks for the read model: its last messages are ignored.
    this.followers.delete(name);
    await this.stopWorker(follower);
  }

  private async stopWorker(follower: Follower): Promise<void> {
    follower.worker.postMessage({ kind: 'stop' } satisfies ToWorker);
    const timeout = new Promise<void>((resolve) => setTimeout(resolve, 10_000).unref());
    await Promise.race([follower.stopped, timeout]);
    await follower.worker.terminate();
  }

  /**
   * Warm handover: the follower of the rebuilt file starts and catches up with the old one while
   * that one still serves; only then do the pointer, the readers and the host's checkpoint move to
   * it. So a query waiting for a position (read-your-writes) never waits for a worker to boot, and
   * the checkpoint queries see never goes backwards.
   */
  private async swapIn(name: ReadModelName, path: string): Promise<void> {
    const old = this.followers.get(name);
    const next = this.follow(name, path, { register: false });
    this.standby.add(next);
    // Caught up means at least where the old follower is now: queries must never see time go backwards.
    await this.caughtUp(next, () => this.state(name).checkpoint);
    this.standby.delete(next);
    if (this.closed) return void (await this.stopWorker(next));
    this.files.swap(name, path);
    this.pointerStamps.set(name, this.files.pointerStamp(name));
    this.followers.set(name, next);
    this.events.swapped(name);
    this.update(name, { checkpoint: Math.max(0, next.checkpoint) });
    if (old) await this.stopWorker(old);
    if (old && old.path !== path) this.retire(old.path);
  }

  private retire(path: string): void {
    if (this.holds.has(path)) this.retired.add(path);
    else this.files.remove(path);
  }

  /** Resolves once `follower` reported `target()` or beyond, stopped, or the handover timeout passed. */
  private caughtUp(follower: Follower, target: () => number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, HANDOVER_TIMEOUT_MS);
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

  private async repoint(name: ReadModelName, path: string): Promise<void> {
    await this.stopFollower(name);
    this.update(name, { checkpoint: 0 });
    this.events.swapped(name);
    if (!this.closed) this.follow(name, path);
  }

  private checkPointers(): void {
    for (const p of this.projections) {
      const stamp = this.files.pointerStamp(p.name);
      if (stamp === this.pointerStamps.get(p.name)) continue;
      this.pointerStamps.set(p.name, stamp);
      const path = this.files.current(p.name);
      if (this.followers.get(p.name)?.path !== path && !this.rebuilds.has(p.name)) void this.repoint(p.name, path);
    }
  }

  private update(name: ReadModelName, patch: Partial<ProjectionRuntimeState>): void {
    const next = { ...this.state(name), ...patch };
    this.states.set(name, next);
    this.events.progress(name, next);
    for (const waiter of this.waiters) if (waiter.name === name && next.checkpoint >= waiter.position) waiter.resolve();
  }
}

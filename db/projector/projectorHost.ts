import type { ProjectionState, ReadModelName, RebuildProgress } from '../contract/index.ts';
import type { Projection } from '../readmodel/projection.ts';
import type { ReadModelFiles } from '../readmodel/readModelFiles.ts';
import type { BuiltFiles } from '../runtime/builtFiles.ts';
import type { ProcessLauncher } from '../runtime/processLauncher.ts';
import { Followers, type Follower } from './followers.ts';
import { startProjectorJob, type ProjectorChannel } from './jobProcess.ts';
import type { ProjectorWorkerData, ToWorker } from './messages.ts';
import { ProjectionStates, type ProjectionRuntimeState } from './projectionStates.ts';
import { runRebuild, type RebuildOutcome } from './runRebuild.ts';
import { ServingFiles } from './servingFiles.ts';

export interface ProjectorHostEvents {
  progress(name: ReadModelName, state: ProjectionRuntimeState): void;
  rebuild(progress: RebuildProgress): void;
  /** The serving file of `name` changed: readers must reopen. */
  swapped(name: ReadModelName): void;
}

/** How long a rebuilt file's follower may take to catch up before it takes over anyway. */
const HANDOVER_TIMEOUT_MS = 30_000;

/**
 * The projection runtime of the apps: a follower thread per read model (followers.ts), rebuild and
 * verify jobs on demand (runRebuild.ts, jobProcess.ts), the files that serve (servingFiles.ts) and
 * what each read model is doing (projectionStates.ts). Knows nothing of parcels.
 */
export class ProjectorHost {
  private readonly states: ProjectionStates;
  private readonly followers: Followers;
  private readonly serving: ServingFiles;
  private readonly rebuilds = new Map<ReadModelName, ProjectorChannel>();
  /** What each follower last said of itself; shown again once a rebuild ends. */
  private readonly followerStates = new Map<ReadModelName, ProjectionState>();
  private head = 0;
  private closed = false;

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
  ) {
    this.states = new ProjectionStates((name, state) => events.progress(name, state));
    this.serving = new ServingFiles(files);
    this.followers = new Followers(
      { files: options.files, logPath, batchSize: options.batchSize ?? 2000, pollMs: options.pollMs ?? 250 },
      {
        progress: (name, progress) => {
          this.followerStates.set(name, progress.state);
          this.states.update(name, {
            checkpoint: progress.checkpoint,
            state: this.rebuilds.has(name) && progress.state !== 'halted' ? 'rebuilding' : progress.state,
            eventsPerSecond: progress.eventsPerSecond,
            error: progress.error,
          });
        },
        crashed: (name, error) => this.states.update(name, { state: 'halted', error: `The projector worker crashed: ${error.message}` }),
      },
    );
  }

  /** A rebuild or verify job, where the host's options say it runs. */
  startJob(data: ProjectorWorkerData): ProjectorChannel {
    return startProjectorJob(this.options.files, data, this.options.jobLauncher ?? null);
  }

  start(head: number, initialCheckpoints: ReadonlyMap<ReadModelName, number>): void {
    this.head = head;
    this.followers.notify(head);
    for (const p of this.projections) {
      this.states.init(p.name, initialCheckpoints.get(p.name) ?? 0);
      this.followers.start(p.name, this.files.current(p.name), 'serving');
    }
    // Another process (the CLI) may swap a rebuilt file in: follow the pointer.
    this.serving.watch(
      this.projections.map((p) => p.name),
      (name, path) => {
        if (this.followers.of(name)?.path !== path && !this.rebuilds.has(name)) void this.repoint(name, path);
      },
    );
  }

  state(name: ReadModelName): ProjectionRuntimeState {
    return this.states.get(name);
  }

  notify(head: number): void {
    this.head = Math.max(this.head, head);
    this.followers.notify(head);
  }

  waitFor(name: ReadModelName, position: number, timeoutMs: number): Promise<boolean> {
    return this.states.waitFor(name, position, timeoutMs);
  }

  /**
   * The serving file of `name`, kept on disk until `release` even if a rebuild swaps another in
   * meanwhile: a verify job reading it must not find it deleted under it.
   */
  holdServingFile(name: ReadModelName): { path: string; release: () => void } {
    const path = this.followers.of(name)?.path ?? this.files.current(name);
    return { path, release: this.serving.hold(path) };
  }

  isRebuilding(name: ReadModelName): boolean {
    return this.rebuilds.has(name);
  }

  /**
   * Builds a fresh file in the background while the current one keeps serving, then swaps.
   * `onBuilt` is told when the heavy part is over (the file is built; the handover to its
   * follower remains), so a scheduler can start the next rebuild meanwhile.
   */
  async rebuild(name: ReadModelName, onBuilt: () => void = () => {}): Promise<RebuildOutcome> {
    if (this.rebuilds.has(name)) return { ok: false, cancelled: false, error: `${name} is already rebuilding.` };
    const targetPath = this.files.fresh(name);
    const job = this.startJob({ mode: 'rebuild', name, logPath: this.logPath, targetPath, batchSize: 10_000 });
    this.rebuilds.set(name, job);
    if (this.state(name).state !== 'halted') this.states.update(name, { state: 'rebuilding' });
    // Its slot came: no longer queued, though its job has not reported yet.
    if (this.state(name).rebuild?.phase === 'queued') this.progress({ name, phase: 'loading', position: 0, target: this.head, eventsPerSecond: 0, etaSeconds: null });
    const outcome = await runRebuild({
      name,
      job,
      targetPath,
      files: this.files,
      progress: (progress) => this.progress(progress),
      built: onBuilt,
      swapIn: (path) => this.swapIn(name, path),
    });
    this.rebuilds.delete(name);
    const follower = this.followerStates.get(name) ?? 'idle';
    this.states.update(name, { rebuild: null, ...(this.state(name).state === 'rebuilding' ? { state: follower } : {}) });
    return outcome;
  }

  cancelRebuild(name: ReadModelName): void {
    this.rebuilds.get(name)?.postMessage({ kind: 'stop' } satisfies ToWorker);
  }

  /** A rebuild asked for but waiting for a slot: shown as `queued` until it starts or is called off. */
  markQueued(name: ReadModelName): void {
    this.progress({ name, phase: 'queued', position: 0, target: 0, eventsPerSecond: 0, etaSeconds: null });
  }

  /** A queued rebuild called off before it started. */
  unqueue(name: ReadModelName, error: string): void {
    if (this.state(name).rebuild?.phase !== 'queued') return;
    this.states.update(name, { rebuild: null });
    this.events.rebuild({ name, phase: 'cancelled', position: 0, target: 0, eventsPerSecond: 0, etaSeconds: null, error });
  }

  deadLetter(name: ReadModelName, position: number, action: 'retry' | 'skip'): Promise<string | null> {
    return this.followers.deadLetter(name, position, action);
  }

  /** Stops rebuilds (their files are discarded) and lets every follower commit its batch and close. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.serving.stop();
    for (const [name, job] of this.rebuilds) {
      this.cancelRebuild(name);
      await job.terminate();
    }
    await this.followers.stopAll();
    this.states.releaseWaiters();
  }

  /** A rebuild's progress: the state the status shows, and a push. */
  private progress(progress: RebuildProgress): void {
    // A finished rebuild's last phase is pushed; the state clears once the rebuild returns.
    if (progress.phase !== 'done' && progress.phase !== 'cancelled' && progress.phase !== 'failed') this.states.update(progress.name, { rebuild: progress });
    this.events.rebuild(progress);
  }

  /**
   * Warm handover: the follower of the rebuilt file starts and catches up with the old one while
   * that one still serves; only then do the pointer, the readers and the host's checkpoint move to
   * it. So a query waiting for a position (read-your-writes) never waits for a worker to boot, and
   * the checkpoint queries see never goes backwards.
   */
  private async swapIn(name: ReadModelName, path: string): Promise<void> {
    const old: Follower | undefined = this.followers.of(name);
    const next = this.followers.start(name, path, 'standby');
    // Caught up means at least where the old follower is now: queries must never see time go backwards.
    await this.followers.caughtUp(next, () => this.state(name).checkpoint, HANDOVER_TIMEOUT_MS);
    if (this.closed) return void (await this.followers.stop(next));
    this.serving.swap(name, path);
    const stopped = this.followers.promote(next);
    this.events.swapped(name);
    this.states.update(name, { checkpoint: Math.max(0, next.checkpoint) });
    await stopped;
    if (old && old.path !== path) this.serving.retire(old.path);
  }

  private async repoint(name: ReadModelName, path: string): Promise<void> {
    await this.followers.stopServing(name);
    this.states.update(name, { checkpoint: 0 });
    this.events.swapped(name);
    if (!this.closed) this.followers.start(name, path, 'serving');
  }
}

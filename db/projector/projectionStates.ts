import type { ProjectionState, ReadModelName, RebuildProgress } from '../contract/index.ts';

/** What the host knows of one read model at run time. */
export interface ProjectionRuntimeState {
  checkpoint: number;
  state: ProjectionState;
  eventsPerSecond: number;
  error: string | null;
  rebuild: RebuildProgress | null;
}

/**
 * Every read model's runtime state, and who waits for a position in it (read-your-writes): a
 * change is told to `changed`, and wakes the waiters it satisfies.
 */
export class ProjectionStates {
  private readonly states = new Map<ReadModelName, ProjectionRuntimeState>();
  private readonly waiters = new Set<{ name: ReadModelName; position: number; resolve: () => void }>();

  constructor(private readonly changed: (name: ReadModelName, state: ProjectionRuntimeState) => void) {}

  init(name: ReadModelName, checkpoint: number): void {
    this.states.set(name, { checkpoint, state: 'idle', eventsPerSecond: 0, error: null, rebuild: null });
  }

  get(name: ReadModelName): ProjectionRuntimeState {
    return this.states.get(name)!;
  }

  update(name: ReadModelName, patch: Partial<ProjectionRuntimeState>): void {
    const next = { ...this.get(name), ...patch };
    this.states.set(name, next);
    this.changed(name, next);
    for (const waiter of this.waiters) if (waiter.name === name && next.checkpoint >= waiter.position) waiter.resolve();
  }

  /** Resolves true once `name` has applied `position`, false on timeout. */
  waitFor(name: ReadModelName, position: number, timeoutMs: number): Promise<boolean> {
    if (this.get(name).checkpoint >= position) return Promise.resolve(true);
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

  /** On close: nobody waits for positions any more. */
  releaseWaiters(): void {
    for (const waiter of this.waiters) waiter.resolve();
  }
}

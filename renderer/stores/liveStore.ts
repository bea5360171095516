import { createStore } from 'zustand/vanilla';
import type { ProjectionStatus, ReadModelName, RebuildProgress, SyncStatus, WaybillErrorBody } from '../../db/contract/index.ts';
import type { ConsoleApi } from '../api/consoleApi.ts';

/** Samples kept for the live charts: one per second, two minutes. */
export const sampleCount = 120;

/** How long a read may wait for this console's own write; past it the answer comes back marked stale. */
export const readYourWritesTimeoutMs = 8000;

export interface LiveSeries {
  writeRate: number[];
  lag: Partial<Record<ReadModelName, number[]>>;
}

export interface LiveState {
  /** Whether the way to the core is up (the push socket in browser mode). */
  connected: boolean;
  head: number | null;
  appendedPerSecond: number;
  projections: Partial<Record<ReadModelName, ProjectionStatus>>;
  /** When each projection's status last arrived by push (ms since epoch), to tell it from an older query answer. */
  projectionsAt: Partial<Record<ReadModelName, number>>;
  rebuilds: Partial<Record<ReadModelName, RebuildProgress>>;
  /** Read models a finished rebuild swapped in: their answers may change without the head moving (a pull that reordered the log). */
  swaps: number;
  /** How this laptop's sync stands, from sync.status and the `sync` push topic; null until known. */
  sync: SyncStatus | null;
  /** Why sync.status could not be answered (a folder open read-only cannot sync). */
  syncRefusal: WaybillErrorBody | null;
  /** Mutated in place once per second; `sampleTick` changes so charts know to redraw. */
  series: LiveSeries;
  sampleTick: number;
  /** Position of this console's latest accepted command: later reads wait for it (read-your-writes). */
  lastWrite: number;
  /** Why this session records nothing (opened read-only, or the log is damaged); null while it records. */
  writeRefusal: WaybillErrorBody | null;
}

/** Refusals that hold for the whole session, not for one command. */
const sessionRefusals: readonly string[] = ['READ_ONLY', 'CORRUPT'];

export interface LiveStoreOptions {
  /** How often pushed numbers reach React (ms); pushes can arrive far faster than a screen can use them. */
  flushMs?: number;
  sampleMs?: number;
}

const pushSample = (values: number[], value: number) => {
  values.push(value);
  if (values.length > sampleCount) values.splice(0, values.length - sampleCount);
};

/** Live numbers from push messages: head, write rate, projection status and rebuild progress. */
export function createLiveStore(api: ConsoleApi, options: LiveStoreOptions = {}) {
  const store = createStore<LiveState>(() => ({
    connected: false,
    head: null,
    appendedPerSecond: 0,
    projections: {},
    projectionsAt: {},
    rebuilds: {},
    swaps: 0,
    sync: null,
    syncRefusal: null,
    series: { writeRate: [], lag: {} },
    sampleTick: 0,
    lastWrite: 0,
    writeRefusal: null,
  }));
  let pending: Partial<LiveState> = {};
  let flushTimer: ReturnType<typeof setTimeout> | null = null;
  let lastHeadAt = 0;

  const flush = () => {
    flushTimer = null;
    store.setState(pending);
    pending = {};
  };
  const schedule = (patch: (state: LiveState) => Partial<LiveState>) => {
    const merged = { ...store.getState(), ...pending };
    pending = { ...pending, ...patch(merged) };
    flushTimer ??= setTimeout(flush, options.flushMs ?? 200);
  };

  const unsubscribes = [
    api.watchConnection((connected) => schedule(() => ({ connected }))),
    api.listen('head', (message) => {
      lastHeadAt = Date.now();
      schedule(() => ({ head: message.head, appendedPerSecond: message.appendedPerSecond }));
    }),
    api.listen('projection', (status) => {
      const at = Date.now();
      schedule((state) => ({
        projections: { ...state.projections, [status.name]: status },
        projectionsAt: { ...state.projectionsAt, [status.name]: at },
        head: Math.max(state.head ?? 0, status.head),
      }));
    }),
    api.listen('rebuild', (progress) => {
      schedule((state) => ({ rebuilds: { ...state.rebuilds, [progress.name]: progress }, ...(progress.phase === 'done' ? { swaps: state.swaps + 1 } : {}) }));
    }),
    api.listen('sync', (status) => schedule(() => ({ sync: status, syncRefusal: null }))),
  ];

  const sampler = setInterval(() => {
    const state = { ...store.getState(), ...pending };
    const rate = Date.now() - lastHeadAt < 2000 ? state.appendedPerSecond : 0;
    pushSample(state.series.writeRate, rate);
    for (const status of Object.values(state.projections)) {
      const values = (state.series.lag[status.name] ??= []);
      pushSample(values, Math.max(0, (state.head ?? status.head) - status.checkpoint));
    }
    store.setState({ sampleTick: state.sampleTick + 1 });
  }, options.sampleMs ?? 1000);

  return {
    store,
    /** Loads the starting numbers, since push messages only say what changed. */
    async start(): Promise<void> {
      const [answer, sync] = await Promise.all([api.call('projections.status', {}), api.call('sync.status', {})]);
      // A push that came first is newer than this answer.
      if (sync.ok) schedule((state) => ({ sync: state.sync ?? sync.status, syncRefusal: null }));
      else schedule(() => ({ syncRefusal: sync.error }));
      if (!answer.ok) return;
      const projections: LiveState['projections'] = {};
      const rebuilds: LiveState['rebuilds'] = {};
      for (const status of answer.data.projections) {
        projections[status.name] = status;
        if (status.rebuild) rebuilds[status.name] = status.rebuild;
      }
      schedule((state) => ({
        head: Math.max(state.head ?? 0, answer.data.head),
        projections: { ...projections, ...state.projections },
        rebuilds: { ...rebuilds, ...state.rebuilds },
        writeRefusal: answer.data.writeRefusal,
      }));
    },
    /** A command came back refused: if the refusal holds for the session, the console says so everywhere. */
    noteRefusal(error: WaybillErrorBody): void {
      if (sessionRefusals.includes(error.code) && store.getState().writeRefusal === null) store.setState({ writeRefusal: error });
    },
    /** An answer of sync.join, sync.now or sync.leave: how sync stands now, before its push arrives. */
    noteSync(status: SyncStatus): void {
      // A push still waiting for the flush is older than this answer.
      if ('sync' in pending) pending = { ...pending, sync: status };
      store.setState({ sync: status, syncRefusal: null });
    },
    noteWrite(position: number): void {
      if (position > store.getState().lastWrite) store.setState({ lastWrite: position });
    },
    /** Query options that make a read wait for this console's own writes. */
    readOptions(): { minPosition: number; timeoutMs: number } | undefined {
      const position = store.getState().lastWrite;
      return position > 0 ? { minPosition: position, timeoutMs: readYourWritesTimeoutMs } : undefined;
    },
    close(): void {
      for (const unsubscribe of unsubscribes) unsubscribe();
      clearInterval(sampler);
      if (flushTimer) clearTimeout(flushTimer);
    },
  };
}

export type LiveStore = ReturnType<typeof createLiveStore>;

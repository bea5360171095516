// A job launcher for tests (openWaybill's `jobLauncher`): rebuild and verify jobs run in processes
// of their own as in the app (nodeProcessLauncher), but the test sees every message a job sends
// before the host does, can set the rebuild's test hook (pauseAfterBatch), and can hold a job's
// messages back from the host at a chosen one, to act at a known point instead of after a sleep.
import { nodeProcessLauncher, type ProcessHandle, type ProcessLauncher } from '../../db/runtime/processLauncher.ts';
import type { FromWorker, ProjectorWorkerData, ToWorker } from '../../db/projector/messages.ts';
import { startDataFlag } from '../../db/runtime/processLauncher.ts';

export interface WatchedJob {
  readonly data: ProjectorWorkerData;
  /** The job's process id. */
  readonly pid: number | undefined;
  /** Every message the job sent so far, in order. */
  readonly sent: readonly FromWorker[];
  /** The first message, sent already or later, that matches; null if the job exits first. */
  message(test: (message: FromWorker) => boolean): Promise<FromWorker | null>;
  /** Straight to the job, e.g. `{ kind: 'continue' }` for a paused rebuild. */
  post(message: ToWorker): void;
  /** Passes on to the host what was held back (see `holdFrom`), and everything after. */
  release(): void;
  readonly exited: Promise<number>;
}

export interface WatchedJobs {
  readonly launcher: ProcessLauncher;
  /** Every job started, in order. */
  readonly jobs: readonly WatchedJob[];
  /** The next job in the order they start (each one once): started already, or the next to start. */
  next(): Promise<WatchedJob>;
}

export interface WatchOptions {
  /** Sets RebuildWorkerData.pauseAfterBatch on every rebuild job. */
  pauseAfterBatch?: number;
  /** Holds a job's messages (this one included) and its exit back from the host from the first message of this kind until `release()`. */
  holdFrom?: FromWorker['kind'];
  /** Called as each job starts, before it has run. */
  onStart?: (job: WatchedJob) => void;
}

export function watchJobs(options: WatchOptions = {}): WatchedJobs {
  const jobs: WatchedJob[] = [];
  const startWaiters: ((job: WatchedJob) => void)[] = [];
  let handedOut = 0;
  const launcher: ProcessLauncher = (entryFile, args) => {
    const flag = args.find((arg) => arg.startsWith(startDataFlag))!;
    const data = JSON.parse(flag.slice(startDataFlag.length)) as ProjectorWorkerData;
    const launched = data.mode === 'rebuild' && options.pauseAfterBatch !== undefined ? { ...data, pauseAfterBatch: options.pauseAfterBatch } : data;
    const handle = nodeProcessLauncher(entryFile, [...args.filter((arg) => arg !== flag), `${startDataFlag}${JSON.stringify(launched)}`]);
    const { job, host } = watch(launched, handle, options.holdFrom);
    jobs.push(job);
    options.onStart?.(job);
    startWaiters.shift()?.(job);
    return host;
  };
  return {
    launcher,
    jobs,
    next: () => {
      const index = handedOut++;
      return index < jobs.length ? Promise.resolve(jobs[index]!) : new Promise((resolve) => startWaiters.push(resolve));
    },
  };
}

function watch(data: ProjectorWorkerData, handle: ProcessHandle, holdFrom: FromWorker['kind'] | undefined): { job: WatchedJob; host: ProcessHandle } {
  const sent: FromWorker[] = [];
  const waiters = new Set<{ test: (message: FromWorker) => boolean; resolve: (message: FromWorker | null) => void }>();
  const toHost = { messages: [] as ((message: unknown) => void)[], exits: [] as ((code: number) => void)[] };
  let holding = false;
  let released = false;
  const heldBack: (() => void)[] = [];
  const pass = (deliver: () => void) => (holding ? heldBack.push(deliver) : deliver());
  let gone = false;
  let markExited!: (code: number) => void;
  const exited = new Promise<number>((resolve) => (markExited = resolve));

  handle.onMessage((raw) => {
    const message = raw as FromWorker;
    sent.push(message);
    if (message.kind === holdFrom && !released) holding = true;
    for (const waiter of [...waiters]) {
      if (!waiter.test(message)) continue;
      waiters.delete(waiter);
      waiter.resolve(message);
    }
    pass(() => toHost.messages.forEach((listener) => listener(raw)));
  });
  handle.onExit((code) => {
    gone = true;
    for (const waiter of waiters) waiter.resolve(null);
    waiters.clear();
    markExited(code);
    pass(() => toHost.exits.forEach((listener) => listener(code)));
  });

  const job: WatchedJob = {
    data,
    pid: handle.pid,
    sent,
    message: (test) => {
      const found = sent.find(test);
      if (found || gone) return Promise.resolve(found ?? null);
      return new Promise((resolve) => waiters.add({ test, resolve }));
    },
    post: (message) => handle.postMessage(message),
    release: () => {
      released = true;
      holding = false;
      for (const deliver of heldBack.splice(0)) deliver();
    },
    exited,
  };
  const host: ProcessHandle = {
    pid: handle.pid,
    postMessage: (message) => handle.postMessage(message),
    onMessage: (listener) => void toHost.messages.push(listener),
    onExit: (listener) => void toHost.exits.push(listener),
    kill: () => handle.kill(),
  };
  return { job, host };
}

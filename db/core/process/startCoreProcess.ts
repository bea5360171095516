import type { Answer, PushMessages, PushTopic, Session } from '../../contract/index.ts';
import { WaybillError } from '../../contract/waybillError.ts';
import { entryPath } from '../../runtime/builtFiles.ts';
import { startArguments, type ProcessHandle, type ProcessLauncher } from '../../runtime/processLauncher.ts';
import type { CoreEndpoint } from '../endpoint.ts';
import type { CoreProcessOptions, FromCore, ToCore } from './messages.ts';
import { relayJobs } from './parentJobs.ts';

/** How long a core process asked to close may take (projectors commit their batch) before it is ended. */
const CLOSE_GRACE_MS = 15_000;

/** The core running in a process of its own, as its host sees it: the same endpoint, across a channel. */
export interface CoreProcess extends CoreEndpoint {
  readonly deviceId: string | null;
  readonly readOnly: boolean;
  readonly pid: number | undefined;
  /** Hands a window's channel (a message port) to the core, bound to `session` (Electron). */
  attach(session: Session, port: unknown): void;
  /** Resolves with the exit code once the process has gone, for whatever reason. */
  readonly exited: Promise<number>;
  /** Graceful: the core commits and closes its databases, then the process exits. */
  close(): Promise<void>;
}

export interface StartCoreProcessOptions {
  /** Starts the core process (Node: fork; Electron: utilityProcess). */
  launcher: ProcessLauncher;
  /** Set where the core process cannot start processes itself (Electron): jobs start here, on its request. */
  jobLauncher?: ProcessLauncher;
  core: Omit<CoreProcessOptions, 'jobs'>;
}

const unavailable = (): Answer<object> => ({
  ok: false,
  error: { code: 'UNAVAILABLE', message: 'The Waybill core has stopped; the call was not carried out. Restart Waybill.', retryable: true },
});

/**
 * Starts the core in a process of its own and resolves once it has opened the data folder; a
 * folder that cannot be opened rejects with the core's typed error (READ_ONLY, CORRUPT, …).
 */
export function startCoreProcess(options: StartCoreProcessOptions): Promise<CoreProcess> {
  const processOptions: CoreProcessOptions = { ...options.core, jobs: options.jobLauncher ? 'parent' : 'fork' };
  const child: ProcessHandle = options.launcher(entryPath(options.core.files, 'coreProcess'), startArguments(processOptions));
  const send = (message: ToCore, transfer?: readonly unknown[]) => child.postMessage(message, transfer);
  const jobs = options.jobLauncher ? relayJobs(options.jobLauncher, (m) => send(m)) : null;
  const pending = new Map<number, (answer: Answer<object>) => void>();
  const listeners = new Map<PushTopic, Set<(message: never) => void>>();
  let nextId = 1;
  let gone = false;
  let markExited!: (code: number) => void;
  const exited = new Promise<number>((resolve) => (markExited = resolve));
  let markClosed: (() => void) | null = null;

  return new Promise((resolve, reject) => {
    child.onExit((code) => {
      gone = true;
      jobs?.killAll();
      for (const answer of pending.values()) answer(unavailable());
      pending.clear();
      markClosed?.();
      markExited(code);
      reject(new WaybillError('UNAVAILABLE', `The Waybill core process stopped (exit code ${code}) before it opened the data folder.`));
    });
    child.onMessage((raw) => {
      const message = raw as FromCore;
      if (jobs?.handle(message)) return;
      switch (message.kind) {
        case 'opened':
          send({ kind: 'listen' });
          resolve(connection(message));
          return;
        case 'failed':
          reject(new WaybillError(message.error.code, message.error.message, message.error));
          return;
        case 'answer':
          pending.get(message.id)?.(message.answer as Answer<object>);
          pending.delete(message.id);
          return;
        case 'push':
          for (const listener of listeners.get(message.topic) ?? []) (listener as (m: unknown) => void)(message.message);
          return;
        case 'closed':
          markClosed?.();
          return;
      }
    });
  });

  function connection(opened: Extract<FromCore, { kind: 'opened' }>): CoreProcess {
    let closing: Promise<void> | null = null;
    return {
      deviceId: opened.deviceId,
      readOnly: opened.readOnly,
      get pid() {
        return child.pid;
      },
      exited,
      call(session, operation, input) {
        if (gone || closing) return Promise.resolve(unavailable());
        const id = nextId++;
        return new Promise((answer) => {
          pending.set(id, answer);
          send({ kind: 'call', id, session, operation, input });
        });
      },
      listen<T extends PushTopic>(topic: T, listener: (message: PushMessages[T]) => void) {
        let set = listeners.get(topic);
        if (!set) listeners.set(topic, (set = new Set()));
        set.add(listener as (message: never) => void);
        return () => void set.delete(listener as (message: never) => void);
      },
      attach(session, port) {
        send({ kind: 'attach', session }, [port]);
      },
      close() {
        return (closing ??= (async () => {
          if (gone) return;
          const closed = new Promise<void>((done) => (markClosed = done));
          send({ kind: 'close' });
          let timer: NodeJS.Timeout | undefined;
          const late = new Promise<'late'>((done) => (timer = setTimeout(() => done('late'), CLOSE_GRACE_MS)));
          if ((await Promise.race([closed.then(() => exited), late])) === 'late') child.kill();
          clearTimeout(timer);
          await exited;
        })());
      },
    };
  }
}

import type { ProcessHandle, ProcessLauncher } from '../../runtime/processLauncher.ts';
import type { FromCore, ToCore } from './messages.ts';

type JobEvent = Extract<ToCore, { kind: 'jobStarted' | 'jobMessage' | 'jobExit' }>;

/**
 * Rebuild and verify jobs started by the host on the core process's behalf (in Electron only the
 * main process can start utility processes): the launcher asks, the host starts the process and
 * relays its messages both ways.
 */
export function parentJobLauncher(send: (message: FromCore) => void): { launcher: ProcessLauncher; deliver(event: JobEvent): void } {
  let nextId = 1;
  const jobs = new Map<number, { handle: { pid: number | undefined }; message: ((m: unknown) => void)[]; exit: ((code: number) => void)[] }>();
  const launcher: ProcessLauncher = (entryFile, args) => {
    const jobId = nextId++;
    const job = { handle: { pid: undefined as number | undefined }, message: [] as ((m: unknown) => void)[], exit: [] as ((code: number) => void)[] };
    jobs.set(jobId, job);
    send({ kind: 'startJob', jobId, entryFile, args: [...args] });
    const handle: ProcessHandle = {
      get pid() {
        return job.handle.pid;
      },
      postMessage: (message) => send({ kind: 'jobPost', jobId, message }),
      onMessage: (listener) => void job.message.push(listener),
      onExit: (listener) => void job.exit.push(listener),
      kill: () => send({ kind: 'jobKill', jobId }),
    };
    return handle;
  };
  return {
    launcher,
    deliver(event) {
      const job = jobs.get(event.jobId);
      if (!job) return;
      if (event.kind === 'jobStarted') job.handle.pid = event.pid;
      else if (event.kind === 'jobMessage') for (const listener of job.message) listener(event.message);
      else {
        jobs.delete(event.jobId);
        for (const listener of job.exit) listener(event.code);
      }
    },
  };
}

/** The host's side: starts each job the core process asks for with `launcher`, and relays. */
export function relayJobs(launcher: ProcessLauncher, send: (message: ToCore) => void): { handle(message: FromCore): boolean; killAll(): void } {
  const running = new Map<number, ProcessHandle>();
  return {
    handle(message) {
      if (message.kind === 'startJob') {
        const job = launcher(message.entryFile, message.args);
        running.set(message.jobId, job);
        job.onMessage((m) => send({ kind: 'jobMessage', jobId: message.jobId, message: m }));
        job.onExit((code) => {
          running.delete(message.jobId);
          send({ kind: 'jobExit', jobId: message.jobId, code });
        });
        send({ kind: 'jobStarted', jobId: message.jobId, pid: job.pid });
        return true;
      }
      if (message.kind === 'jobPost') return (running.get(message.jobId)?.postMessage(message.message), true);
      if (message.kind === 'jobKill') return (running.get(message.jobId)?.kill(), true);
      return false;
    },
    killAll() {
      for (const job of running.values()) job.kill();
    },
  };
}

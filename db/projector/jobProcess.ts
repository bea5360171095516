import { EventEmitter } from 'node:events';
import { entryPath, startEntryThread, type BuiltFiles } from '../runtime/builtFiles.ts';
import { nodeProcessLauncher, startArguments, type ProcessHandle, type ProcessLauncher } from '../runtime/processLauncher.ts';
import type { FromWorker, ProjectorWorkerData, ToWorker } from './messages.ts';


/** What the host needs of a running projector, whether a worker thread or a process of its own. */
export interface ProjectorChannel {
  postMessage(message: ToWorker): void;
  on(event: 'message', listener: (message: FromWorker) => void): this;
  on(event: 'error', listener: (error: Error) => void): this;
  on(event: 'exit', listener: (code: number) => void): this;
  /** Stops it at once; resolves when it has gone. */
  terminate(): Promise<unknown>;
}

/** How long a job process that said it stopped may take to exit by itself before it is ended. */
const EXIT_GRACE_MS = 2000;

/**
 * One-shot projector jobs (rebuild, verify) in a process of their own, so the hundreds of MiB a
 * rebuild allocates go back to the system when it exits. In a long-running process's shared
 * malloc arenas they stayed, freed but kept, and each rebuild raised the memory plateau.
 */
class JobProcess extends EventEmitter implements ProjectorChannel {
  private exited = false;
  private readonly gone: Promise<void>;

  constructor(private readonly handle: ProcessHandle) {
    super();
    let markGone!: () => void;
    this.gone = new Promise((resolve) => (markGone = resolve));
    handle.onMessage((message) => {
      this.emit('message', message);
      if ((message as FromWorker).kind === 'stopped') setTimeout(() => this.kill(), EXIT_GRACE_MS).unref();
    });
    handle.onExit((code) => {
      if (this.exited) return;
      this.exited = true;
      markGone();
      this.emit('exit', code);
    });
  }

  postMessage(message: ToWorker): void {
    if (!this.exited) this.handle.postMessage(message);
  }

  terminate(): Promise<void> {
    this.kill();
    return this.gone;
  }

  private kill(): void {
    if (!this.exited) this.handle.kill();
  }
}

/**
 * Node forks itself; Electron's main process must not (its fork would start the app again, the
 * RunAsNode fuse being off) and passes a utilityProcess launcher instead, or runs jobs in threads.
 */
export function defaultProcessLauncher(): ProcessLauncher | null {
  return process.versions.electron ? null : nodeProcessLauncher;
}

/** A rebuild or verify job: in a process of its own where a launcher is given, else in a worker thread. */
export function startProjectorJob(files: BuiltFiles, data: ProjectorWorkerData, launcher: ProcessLauncher | null): ProjectorChannel {
  if (!launcher) return startEntryThread(files, 'projector', data);
  return new JobProcess(launcher(entryPath(files, 'projector'), startArguments(data)));
}

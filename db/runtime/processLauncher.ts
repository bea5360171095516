import { fork } from 'node:child_process';
import { constants } from 'node:os';

/** The flag that carries what a process started from an entry is for (its job, the core's options). */
export const startDataFlag = '--waybill-data=';

/** The command-line arguments that hand `data` to a process started from an entry. */
export const startArguments = (data: unknown): string[] => [`${startDataFlag}${JSON.stringify(data)}`];

/**
 * Starts an entry file as a process of its own with `args` on its command line:
 * `child_process.fork` under Node, `utilityProcess.fork` in Electron's main process.
 */
export type ProcessLauncher = (entryFile: string, args: readonly string[]) => ProcessHandle;

/** The least a started process must offer; both Node's ChildProcess and Electron's UtilityProcess do. */
export interface ProcessHandle {
  readonly pid: number | undefined;
  /** `transfer`: message ports to hand over with it (Electron's utility processes only). */
  postMessage(message: unknown, transfer?: readonly unknown[]): void;
  onMessage(listener: (message: unknown) => void): void;
  onExit(listener: (code: number) => void): void;
  kill(): void;
}

export const nodeProcessLauncher: ProcessLauncher = (entryFile, args) => {
  // No inherited loader flags (tsx, inspector): the entry is plain JavaScript.
  const child = fork(entryFile, [...args], { execArgv: [], serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return {
    pid: child.pid,
    postMessage: (message, transfer) => {
      if (transfer?.length) throw new Error('A Node child process cannot be handed message ports.');
      if (child.connected) child.send(message as object);
    },
    onMessage: (listener) => child.on('message', listener),
    onExit: (listener) => {
      // Killed by a signal: the shell's convention (128 + signal number), so SIGKILL reads as 137.
      child.on('exit', (code, signal) => listener(code ?? (signal ? 128 + constants.signals[signal] : 1)));
      child.on('error', () => listener(1)); // could not start (or be signalled): it is gone either way
    },
    kill: () => child.kill('SIGKILL'),
  };
};

import type { ForkOptions, UtilityProcess } from 'electron';
import type { ProcessLauncher } from '../db/core/openCore.ts';

export type ForkUtilityProcess = (modulePath: string, args: string[], options: ForkOptions) => UtilityProcess;

/**
 * Rebuild and verify jobs as Electron utility processes: the main process cannot fork itself as
 * Node (the RunAsNode fuse is off), and a job's memory goes back to the system when it exits.
 * The child talks over `process.parentPort` (db/projector/parentLink.ts).
 */
export function utilityProcessLauncher(fork: ForkUtilityProcess): ProcessLauncher {
  return (entryFile, args) => {
    const child = fork(entryFile, [...args], { serviceName: 'Waybill projector job', stdio: 'inherit' });
    return {
      get pid() {
        return child.pid;
      },
      postMessage: (message) => child.postMessage(message),
      onMessage: (listener) => child.on('message', listener),
      onExit: (listener) => child.on('exit', listener),
      kill: () => void child.kill(),
    };
  };
}

import type { ForkOptions, MessagePortMain, UtilityProcess } from 'electron';
import type { ProcessLauncher } from '../db/runtime/processLauncher.ts';

export type ForkUtilityProcess = (modulePath: string, args: string[], options: ForkOptions) => UtilityProcess;

/**
 * Waybill's processes as Electron utility processes — the core, and its rebuild and verify jobs:
 * only the main process can start them (the RunAsNode fuse is off, so nothing can fork Node), and
 * a job's memory goes back to the system when it exits. The child talks over `process.parentPort`
 * (db/runtime/parentLink.ts).
 */
export function utilityProcessLauncher(fork: ForkUtilityProcess, serviceName: string): ProcessLauncher {
  return (entryFile, args) => {
    const child = fork(entryFile, [...args], { serviceName, stdio: 'inherit' });
    return {
      get pid() {
        return child.pid;
      },
      postMessage: (message, transfer) => child.postMessage(message, transfer as MessagePortMain[] | undefined),
      onMessage: (listener) => child.on('message', listener),
      onExit: (listener) => child.on('exit', listener),
      kill: () => void child.kill(),
    };
  };
}

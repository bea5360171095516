import { parentPort, workerData } from 'node:worker_threads';

/** The flag that carries a job's data to a projector running as its own process (see jobProcess.ts). */
export const jobDataFlag = '--waybill-job=';

/** How a projector entry talks to whoever started it: a worker thread's port or a child process's channel. */
export interface ParentLink {
  readonly data: unknown;
  send(message: unknown): void;
  onMessage(listener: (message: unknown) => void): void;
  /** Lets the thread or process end once what was sent has gone out. */
  close(): void;
}

/** Electron's utility processes talk over `process.parentPort`, which Node does not have. */
interface UtilityParentPort {
  on(event: 'message', listener: (event: { data: unknown }) => void): void;
  postMessage(message: unknown): void;
}

export function connectToParent(): ParentLink {
  if (parentPort) {
    const port = parentPort;
    return { data: workerData, send: (m) => port.postMessage(m), onMessage: (l) => port.on('message', l), close: () => port.close() };
  }
  const flag = process.argv.find((arg) => arg.startsWith(jobDataFlag));
  if (!flag) throw new Error('A projector job process was started without its job data.');
  const data: unknown = JSON.parse(flag.slice(jobDataFlag.length));
  const utilityPort = (process as { parentPort?: UtilityParentPort }).parentPort;
  if (utilityPort) {
    // The parent ends a utility process once it has said it stopped (jobProcess.ts).
    return { data, send: (m) => utilityPort.postMessage(m), onMessage: (l) => utilityPort.on('message', (e) => l(e.data)), close: () => {} };
  }
  return nodeChildLink(data);
}

function nodeChildLink(data: unknown): ParentLink {
  if (!process.send) throw new Error('A projector job process needs an IPC channel to its parent (child_process.fork).');
  // The parent died or let go: nobody will take this job's result, so stop writing files now.
  process.on('disconnect', () => process.exit(0));
  let unsent = 0;
  let closing = false;
  const disconnectWhenSent = () => {
    if (closing && unsent === 0 && process.connected) process.disconnect();
  };
  return {
    data,
    send: (message) => {
      unsent++;
      process.send!(message, undefined, {}, () => {
        unsent--;
        disconnectWhenSent();
      });
    },
    onMessage: (listener) => process.on('message', listener),
    close: () => {
      closing = true;
      disconnectWhenSent();
    },
  };
}

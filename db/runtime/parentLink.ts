import { parentPort, workerData } from 'node:worker_threads';
import { startDataFlag } from './processLauncher.ts';

/**
 * How an entry talks to whoever started it: a worker thread's port, a Node child process's IPC
 * channel, or an Electron utility process's `process.parentPort`.
 */
export interface ParentLink {
  readonly data: unknown;
  send(message: unknown): void;
  /** `ports` are the message ports that came with the message (Electron hands a window's channel over this way). */
  onMessage(listener: (message: unknown, ports: readonly unknown[]) => void): void;
  /** Lets the thread or process end once what was sent has gone out. */
  close(): void;
}

/** Electron's utility processes talk over `process.parentPort`, which Node does not have. */
interface UtilityParentPort {
  on(event: 'message', listener: (event: { data: unknown; ports?: unknown[] }) => void): void;
  postMessage(message: unknown): void;
}

/**
 * The link to the parent. `onParentGone` runs when a child process's parent dies or lets go (its
 * IPC channel closes): by default the process exits at once, since nobody will take its results.
 */
export function connectToParent(options: { onParentGone?: () => void } = {}): ParentLink {
  if (parentPort) {
    const port = parentPort;
    return { data: workerData, send: (m) => port.postMessage(m), onMessage: (l) => port.on('message', (m) => l(m, [])), close: () => port.close() };
  }
  const flag = process.argv.find((arg) => arg.startsWith(startDataFlag));
  if (!flag) throw new Error('This Waybill process was started without the data it is for.');
  const data: unknown = JSON.parse(flag.slice(startDataFlag.length));
  const utilityPort = (process as { parentPort?: UtilityParentPort }).parentPort;
  if (utilityPort) {
    // The parent ends a utility process once it has said it stopped.
    return { data, send: (m) => utilityPort.postMessage(m), onMessage: (l) => utilityPort.on('message', (e) => l(e.data, e.ports ?? [])), close: () => {} };
  }
  return nodeChildLink(data, options.onParentGone ?? (() => process.exit(0)));
}

function nodeChildLink(data: unknown, onParentGone: () => void): ParentLink {
  if (!process.send) throw new Error('A Waybill child process needs an IPC channel to its parent (child_process.fork).');
  process.on('disconnect', onParentGone);
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
    onMessage: (listener) => process.on('message', (m) => listener(m, [])),
    close: () => {
      closing = true;
      disconnectWhenSent();
    },
  };
}

// Wires the pure call handler to ipcMain and the core's push messages to the window.
import { ipcMain } from 'electron';
import type { Session } from '../db/contract/index.ts';
import type { CoreEndpoint } from '../db/core/endpoint.ts';
import { callChannel } from './channels.ts';
import { createIpcCallHandler, forwardPushMessages } from './ipc.ts';
import { createSenderCheck, type FrameLike } from './senderCheck.ts';

/** Returns the function that stops accepting calls and stops forwarding push messages. */
export function registerIpc(core: CoreEndpoint, session: Session, mainFrame: () => FrameLike | null, send: (channel: string, message: unknown) => void): () => void {
  const handle = createIpcCallHandler(core, session, createSenderCheck(mainFrame), {
    onRefused: (reason) => console.warn(`waybill: refused an IPC call (${reason === 'sender' ? 'foreign sender' : 'too many arguments'})`),
  });
  ipcMain.handle(callChannel, (event, ...args: unknown[]) => handle(event, ...args));
  const stopPush = forwardPushMessages(core, send);
  return () => {
    ipcMain.removeHandler(callChannel);
    stopPush();
  };
}

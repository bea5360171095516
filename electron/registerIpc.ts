// Wires the pure handler table to ipcMain and the core's push messages to the window.
import { ipcMain } from 'electron';
import type { WaybillApi } from '../db/contract.ts';
import { createIpcHandlers, forwardPushMessages } from './ipc.ts';
import { createSenderCheck, type FrameLike } from './senderCheck.ts';

/** Returns the function that stops accepting calls and stops forwarding push messages. */
export function registerIpc(core: WaybillApi, mainFrame: () => FrameLike | null, send: (channel: string, message: unknown) => void): () => void {
  const entries = createIpcHandlers(core, createSenderCheck(mainFrame), {
    onRefused: (method, reason) => console.warn(`waybill: refused an IPC call to ${method} (${reason === 'sender' ? 'foreign sender' : 'invalid payload'})`),
  });
  for (const entry of entries) ipcMain.handle(entry.channel, (event, ...args: unknown[]) => entry.handle(event, ...args));
  const stopPush = forwardPushMessages((topic, listener) => core.subscribe(topic, listener), send);
  return () => {
    for (const entry of entries) ipcMain.removeHandler(entry.channel);
    stopPush();
  };
}

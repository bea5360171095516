// Sandboxed preload: exposes exactly the contract's transport as window.waybill — `call` and
// `listen`, nothing else. The page never sees ipcRenderer. Bundled to CommonJS; only `electron`
// is loaded at run time.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { isPushTopic, type PushMessages, type PushTopic, type WaybillTransport } from '../db/contract/index.ts';
import { callChannel, pushChannel } from './channels.ts';

const transport: WaybillTransport = {
  call: (operation, input) => ipcRenderer.invoke(callChannel, operation, input),
  listen: <T extends PushTopic>(topic: T, listener: (message: PushMessages[T]) => void) => {
    if (!isPushTopic(topic)) throw new TypeError(`waybill: unknown push topic ${String(topic)}`);
    if (typeof listener !== 'function') throw new TypeError('waybill: listen needs a listener function');
    const channel = pushChannel(topic);
    const forward = (_event: IpcRendererEvent, message: PushMessages[T]) => listener(message);
    ipcRenderer.on(channel, forward);
    return () => {
      ipcRenderer.removeListener(channel, forward);
    };
  },
};

contextBridge.exposeInMainWorld('waybill', transport);

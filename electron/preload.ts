// Sandboxed preload: exposes exactly a WaybillApi as window.waybill, one narrow function per
// method. The page never sees ipcRenderer. Bundled to CommonJS; only `electron` is loaded at run time.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { PushMessages, PushTopic, WaybillApi } from '../db/contract.ts';
import { invokeChannels, isPushTopic, pushChannel } from './channels.ts';

const api: WaybillApi = {
  command: (request) => ipcRenderer.invoke(invokeChannels.command, request),
  query: (name, params, options) =>
    options === undefined ? ipcRenderer.invoke(invokeChannels.query, name, params) : ipcRenderer.invoke(invokeChannels.query, name, params, options),
  rebuild: (request) => ipcRenderer.invoke(invokeChannels.rebuild, request),
  cancelRebuild: (request) => ipcRenderer.invoke(invokeChannels.cancelRebuild, request),
  verify: () => ipcRenderer.invoke(invokeChannels.verify),
  deadLetter: (request) => ipcRenderer.invoke(invokeChannels.deadLetter, request),
  seed: (request) => ipcRenderer.invoke(invokeChannels.seed, request),
  subscribe: <T extends PushTopic>(topic: T, listener: (message: PushMessages[T]) => void) => {
    if (!isPushTopic(topic)) throw new TypeError(`waybill: unknown push topic ${String(topic)}`);
    if (typeof listener !== 'function') throw new TypeError('waybill: subscribe needs a listener function');
    const channel = pushChannel(topic);
    const forward = (_event: IpcRendererEvent, message: PushMessages[T]) => listener(message);
    ipcRenderer.on(channel, forward);
    return () => {
      ipcRenderer.removeListener(channel, forward);
    };
  },
};

contextBridge.exposeInMainWorld('waybill', api);

// Sandboxed preload: asks main for a channel to the core (a message port straight to the core
// process) and exposes exactly the contract's transport over it as window.waybill — `call`,
// `listen`, and whether the channel is up. The page never sees ipcRenderer or the port. Bundled
// to CommonJS; only `electron` is loaded at run time.
import { contextBridge, ipcRenderer } from 'electron';
import { isPushTopic, portTransport, type FromCorePort, type PortLike, type ToCorePort } from '../db/contract/index.ts';
import { connectChannel, portChannel } from './channels.ts';

/** The port as portTransport wants it; what the page sends before the port arrives waits for it. */
function portToCore(): PortLike {
  const waiting: ToCorePort[] = [];
  const messageListeners: ((message: FromCorePort) => void)[] = [];
  const closeListeners: (() => void)[] = [];
  let port: MessagePort | null = null;
  ipcRenderer.once(portChannel, (event) => {
    port = event.ports[0] ?? null;
    if (!port) return closeListeners.forEach((listener) => listener());
    port.onmessage = (message) => messageListeners.forEach((listener) => listener(message.data as FromCorePort));
    // Electron's message ports say when the other end (the core process) has gone.
    port.addEventListener('close', () => closeListeners.forEach((listener) => listener()));
    for (const message of waiting.splice(0)) port.postMessage(message);
  });
  ipcRenderer.send(connectChannel);
  return {
    post: (message) => (port ? port.postMessage(message) : void waiting.push(message)),
    onMessage: (listener) => void messageListeners.push(listener),
    onClose: (listener) => void closeListeners.push(listener),
  };
}

const transport = portTransport(portToCore());

contextBridge.exposeInMainWorld('waybill', {
  call: (operation: string, input: unknown) => transport.call(operation as never, input as never),
  listen: (topic: unknown, listener: unknown) => {
    if (!isPushTopic(topic)) throw new TypeError(`waybill: unknown push topic ${String(topic)}`);
    if (typeof listener !== 'function') throw new TypeError('waybill: listen needs a listener function');
    return transport.listen(topic, listener as (message: unknown) => void);
  },
  watchConnection: (listener: unknown) => {
    if (typeof listener !== 'function') throw new TypeError('waybill: watchConnection needs a listener function');
    return transport.watchConnection(listener as (connected: boolean) => void);
  },
});

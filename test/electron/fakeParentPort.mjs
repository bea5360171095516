// Stand-in for Electron's `process.parentPort` in a utility process (the Electron binary cannot
// run here), over Node's IPC channel: messages arrive as `{ data, ports }`, like Electron's
// MessageEvent, and message ports handed over (fakeElectron.ts tags them) arrive as ports whose
// traffic goes back over the same channel.
import { EventEmitter } from 'node:events';
import { isMainThread } from 'node:worker_threads';

// Worker threads inherit this --import; only the process itself has a parent port.
if (isMainThread) installParentPort();

function installParentPort() {
  const send = process.send.bind(process);
  // A utility process has no `process.send`: code that needs it must fail here as it would there.
  delete process.send;
  const port = new EventEmitter();
  const handedOver = new Map();

  const handedOverPort = (id) => {
    const relay = new EventEmitter();
    relay.postMessage = (data) => send({ __fakePort: id, data });
    relay.start = () => {};
    relay.close = () => send({ __fakePortClosed: id });
    handedOver.set(id, relay);
    return relay;
  };

  process.on('message', (message) => {
    if (message && message.__fakePort !== undefined) return void handedOver.get(message.__fakePort)?.emit('message', { data: message.data });
    if (message && Array.isArray(message.__fakePorts)) return void port.emit('message', { data: message.data, ports: message.__fakePorts.map(handedOverPort) });
    port.emit('message', { data: message, ports: [] });
  });
  port.postMessage = (message) => send(message);
  process.parentPort = port;
  // Electron ends a utility process when the main process goes; the stand-in does the same.
  process.on('disconnect', () => process.exit(0));
}

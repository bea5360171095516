// Stand-in for Electron's `process.parentPort` in a utility process (the Electron binary cannot
// run here), over Node's IPC channel: messages arrive as `{ data }`, like Electron's MessageEvent.
import { EventEmitter } from 'node:events';

const send = process.send.bind(process);
// A utility process has no `process.send`: code that needs it must fail here as it would there.
delete process.send;
const port = new EventEmitter();
process.on('message', (data) => port.emit('message', { data, ports: [] }));
port.postMessage = (message) => send(message);
process.parentPort = port;

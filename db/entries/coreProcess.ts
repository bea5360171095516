// The core process's entry (a Node child of `waybill serve`, a utility process of the desktop
// app): the whole core — writer, projection engine, queries — off the thread that serves a window
// or a socket (db/core/process/serveCore.ts).
import { serveCore } from '../core/process/serveCore.ts';

serveCore();

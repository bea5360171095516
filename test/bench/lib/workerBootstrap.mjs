// Worker-thread entry for the benchmark's own TypeScript workers: registers tsx, then loads the file.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.__entry);

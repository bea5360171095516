// Development entry for worker threads: registers tsx so the TypeScript worker can load.
// Built (packaged) apps run the bundled .js worker directly and never load this file.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.__entry);

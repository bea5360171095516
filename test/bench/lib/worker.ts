import { Worker } from 'node:worker_threads';

/** Starts a TypeScript worker of the benchmark (`entry` is an import.meta-relative URL of a .ts file). */
export function spawnBenchWorker(entry: URL, data: object, heapMb?: number): Worker {
  const bootstrap = new URL('./workerBootstrap.mjs', import.meta.url);
  return new Worker(bootstrap, { workerData: { ...data, __entry: entry.href }, ...(heapMb ? { resourceLimits: { maxOldGenerationSizeMb: heapMb } } : {}) });
}

/** Resolves with the first message that satisfies `accept`; rejects on worker error or early exit. */
export function nextMessage<T>(worker: Worker, accept: (message: unknown) => message is T): Promise<T> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: unknown) => {
      if (!accept(message)) return;
      cleanup();
      resolve(message);
    };
    const onError = (error: Error) => {
      cleanup();
      reject(error);
    };
    const onExit = (code: number) => {
      cleanup();
      reject(new Error(`worker exited with code ${code} before answering`));
    };
    const cleanup = () => {
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
    };
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
  });
}

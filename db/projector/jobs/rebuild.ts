// A rebuild job: builds a fresh copy of one read model from the whole log, then says how it went.
import type { Projection } from '../../readmodel/projection.ts';
import { rebuildReadModel, RebuildCancelledError } from '../../readmodel/rebuildReadModel.ts';
import type { FromWorker, RebuildWorkerData, ToWorker } from '../messages.ts';
import type { ParentLink } from '../../runtime/parentLink.ts';

const nextTick = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Builds `config.targetPath` (a file nobody serves yet); a `stop` message cancels it between batches. */
export async function runRebuildJob(config: RebuildWorkerData, projection: Projection, parent: ParentLink): Promise<void> {
  const send = (message: FromWorker) => parent.send(message);
  const onMessage = (listener: (message: ToWorker) => void) => parent.onMessage((m) => listener(m as ToWorker));
  let cancelled = false;
  let continued = false;
  let goOn: (() => void) | null = null;
  onMessage((message) => {
    if (message.kind === 'stop') cancelled = true;
    if (message.kind === 'continue') continued = true;
    if (message.kind === 'stop' || message.kind === 'continue') goOn?.();
  });
  let batches = 0;
  const betweenBatches = async () => {
    await nextTick();
    if (++batches !== config.pauseAfterBatch || cancelled || continued) return;
    // Test hook (pauseAfterBatch): wait here, half built, until told to go on or to stop.
    await new Promise<void>((resolve) => {
      goOn = resolve;
      send({ kind: 'paused', batches });
    });
    goOn = null;
  };
  try {
    const { checkpoint } = await rebuildReadModel({
      projection,
      logPath: config.logPath,
      targetPath: config.targetPath,
      batchSize: config.batchSize,
      onProgress: (progress) => send({ kind: 'rebuild', progress }),
      isCancelled: () => cancelled,
      yieldBetweenBatches: betweenBatches,
    });
    send({ kind: 'rebuildDone', name: config.name, checkpoint });
  } catch (error) {
    send({
      kind: 'rebuildFailed',
      name: config.name,
      cancelled: error instanceof RebuildCancelledError,
      error: error instanceof Error ? error.message : String(error),
    });
  }
  send({ kind: 'stopped' });
  parent.close();
}


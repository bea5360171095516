// A follower: keeps one read model caught up with the log, batch by batch, for as long as it runs.
import type { ProjectionState } from '../../contract/index.ts';
import { openLogReader } from '../../log/openEventLog.ts';
import { Projector } from '../../readmodel/catchUp.ts';
import { openReadModelWriter } from '../../readmodel/openReadModel.ts';
import { asBatchedHandler, type Projection } from '../../readmodel/projection.ts';
import type { FollowWorkerData, FromWorker, ToWorker } from '../messages.ts';
import type { ParentLink } from '../../runtime/parentLink.ts';

const nextTick = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Storage trouble that passes by itself or once someone acts (disk full, a lock held elsewhere, an
 * I/O error, a folder made read-only): the follower pauses and retries with backoff instead of
 * halting for good. Nothing was applied: the batch rolled back with its checkpoint.
 */
function storageTrouble(error: unknown): string | null {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string' || !/^SQLITE_(FULL|BUSY|LOCKED|IOERR|READONLY)/.test(code)) return null;
  const message = error instanceof Error ? error.message : String(error);
  const what = code.startsWith('SQLITE_FULL') ? 'the disk is full' : code.startsWith('SQLITE_READONLY') ? 'the data folder is read-only' : 'storage is unavailable';
  return `Paused: ${what} (${message}); retrying by itself.`;
}
const PAUSE_FIRST_MS = 500;
const PAUSE_MAX_MS = 10_000;

/** Follows the log into `config.readModelPath` until told to stop; reports progress to whoever started it. */
export async function follow(config: FollowWorkerData, served: Projection, parent: ParentLink): Promise<void> {
  const projection = config.stallBeforeCheckpoint ? stallingBeforeCheckpoint(served, config.stallBeforeCheckpoint) : served;
  const send = (message: FromWorker) => parent.send(message);
  const onMessage = (listener: (message: ToWorker) => void) => parent.onMessage((m) => listener(m as ToWorker));
  const log = openLogReader(config.logPath);
  const db = openReadModelWriter(config.readModelPath, projection);
  const projector = new Projector(projection, db, log);
  let stopping = false;
  let halted: string | null = null;
  let paused: { until: number; delayMs: number } | null = null;
  let wake: (() => void) | null = null;
  let knownHead = projector.head();
  let lastDataVersion = -1;
  const rate = { since: performance.now(), events: 0, perSecond: 0 };

  const publish = (state: ProjectionState) =>
    send({ kind: 'progress', name: config.name, checkpoint: projector.checkpoint(), head: knownHead, state, eventsPerSecond: rate.perSecond, error: halted });

  onMessage((message) => {
    if (message.kind === 'notify') knownHead = Math.max(knownHead, message.head);
    if (message.kind === 'stop') stopping = true;
    if (message.kind === 'deadLetter') {
      let error: string | null = null;
      try {
        if (message.action === 'retry') projector.retryDeadLetter(message.position);
        else projector.skipDeadLetter(message.position);
      } catch (e) {
        error = e instanceof Error ? e.message : String(e);
      }
      send({ kind: 'deadLetterDone', requestId: message.requestId, error });
    }
    wake?.();
  });

  // Another process (the CLI, say) may append to the same log: PRAGMA data_version changes then.
  const logChanged = () => {
    const version = log.pragma('data_version', { simple: true }) as number;
    const changed = version !== lastDataVersion;
    lastDataVersion = version;
    return changed;
  };

  publish('idle');
  while (!stopping) {
    if (paused && halted !== null && performance.now() >= paused.until) halted = null; // time to retry
    if (halted === null && (projector.checkpoint() < knownHead || logChanged())) {
      knownHead = Math.max(knownHead, projector.head());
      try {
        while (!stopping && projector.checkpoint() < knownHead) {
          const { applied } = projector.runBatch(config.batchSize);
          if (applied === 0) break;
          paused = null;
          rate.events += applied;
          publish('catching_up');
          await nextTick();
          knownHead = Math.max(knownHead, projector.head());
        }
      } catch (error) {
        const pause = storageTrouble(error);
        if (pause) {
          const delayMs: number = paused ? Math.min(paused.delayMs * 2, PAUSE_MAX_MS) : PAUSE_FIRST_MS;
          paused = { until: performance.now() + delayMs, delayMs };
        } else paused = null;
        halted = pause ?? (error instanceof Error ? error.message : String(error));
      }
      const elapsed = (performance.now() - rate.since) / 1000;
      if (elapsed >= 1) {
        rate.perSecond = Math.round(rate.events / elapsed);
        rate.events = 0;
        rate.since = performance.now();
      }
      publish(halted === null ? 'idle' : 'halted');
      continue;
    }
    await new Promise<void>((resolve) => {
      wake = resolve;
      setTimeout(resolve, config.pollMs);
    });
    wake = null;
  }
  try {
    db.pragma('wal_checkpoint(TRUNCATE)');
  } catch {
    // A full disk, say: the WAL stays and the next open applies it.
  }
  publish('stopped'); // reads the checkpoint: before closing
  db.close();
  log.close();
  send({ kind: 'stopped' });
  parent.close();
}


/**
 * Test hook (FollowWorkerData.stallBeforeCheckpoint): the projection's handler, except that the
 * first batch applying an event past `pastPosition` blocks the thread once its rows are written,
 * before its checkpoint moves, until the thread is terminated.
 */
function stallingBeforeCheckpoint(projection: Projection, hook: { pastPosition: number; stalled: SharedArrayBuffer }): Projection {
  const stalled = new Int32Array(hook.stalled);
  return {
    ...projection,
    prepare: (db) => {
      const handler = asBatchedHandler(projection.prepare(db));
      let past = false;
      return {
        apply: (event) => {
          handler.apply(event);
          past ||= event.position > hook.pastPosition;
        },
        flush: () => {
          handler.flush();
          if (!past) return;
          Atomics.store(stalled, 0, 1);
          Atomics.notify(stalled, 0);
          Atomics.wait(stalled, 0, 1);
        },
        reset: () => {
          handler.reset();
          past = false;
        },
      };
    },
  };
}

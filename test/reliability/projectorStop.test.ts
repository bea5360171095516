// Found by the disk-full scenario: a follower told to stop (app shutdown, or the swap after a
// rebuild) must close cleanly and say so, not die with an error that the host reports as
// "the projector worker crashed" and shows as a halted read model.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openTestCore } from '../helpers/testCore.ts';
import type { FollowWorkerData, FromWorker, ToWorker } from '../../db/projector/messages.ts';
import { defaultBuiltFiles, startEntryThread } from '../../db/runtime/builtFiles.ts';
import { tempDataDir } from '../helpers/tempDataDir.ts';
import { SETUP } from './helpers/workload.ts';

describe('a follower told to stop', () => {
  it('publishes its last checkpoint as stopped, says stopped, and exits without an error', async () => {
    const dir = tempDataDir('stop');
    const waybill = await openTestCore({ dataDir: dir.path, projectors: 'inline', backgroundCheckpoints: false });
    for (const request of SETUP) expect(await waybill.command(request)).toMatchObject({ ok: true });
    await waybill.close();

    const worker = startEntryThread(defaultBuiltFiles(), 'projector', {
      mode: 'follow',
      name: 'depot_board',
      logPath: join(dir.path, 'events.db'),
      readModelPath: dir.file('depot_board.db'),
      batchSize: 100,
      pollMs: 20,
    } satisfies FollowWorkerData);
    const messages: FromWorker[] = [];
    const errors: string[] = [];
    let caughtUp!: () => void;
    const projected = new Promise<void>((resolve) => (caughtUp = resolve));
    worker.on('message', (message: FromWorker) => {
      messages.push(message);
      if (message.kind === 'progress' && message.checkpoint === SETUP.length) caughtUp();
    });
    worker.on('error', (error: Error) => errors.push(error.message));
    const exited = new Promise<number>((resolve) => worker.on('exit', resolve));
    worker.postMessage({ kind: 'notify', head: SETUP.length } satisfies ToWorker);
    await projected;

    worker.postMessage({ kind: 'stop' } satisfies ToWorker);
    expect(await exited).toBe(0);
    expect(errors).toEqual([]);
    expect(messages.at(-1)).toEqual({ kind: 'stopped' });
    expect(messages.at(-2)).toMatchObject({ kind: 'progress', state: 'stopped', checkpoint: SETUP.length, error: null });
  });
});

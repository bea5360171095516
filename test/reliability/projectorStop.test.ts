// Found by the disk-full scenario: a follower told to stop (app shutdown, or the swap after a
// rebuild) must close cleanly and say so, not die with an error that the host reports as
// "the projector worker crashed" and shows as a halted read model.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openTestCore } from '../helpers/testCore.ts';
import type { FromWorker, ToWorker } from '../../db/projector/messages.ts';
import { spawnWorker } from '../../db/projector/spawnWorker.ts';
import { tempDataDir } from '../helpers/tempDataDir.ts';
import { SETUP } from './helpers/workload.ts';

describe('a follower told to stop', () => {
  it('publishes its last checkpoint as stopped, says stopped, and exits without an error', async () => {
    const dir = tempDataDir('stop');
    const waybill = await openTestCore({ dataDir: dir.path, projectors: 'inline', backgroundCheckpoints: false });
    for (const request of SETUP) await waybill.command(request);
    await waybill.close();

    const worker = spawnWorker('projectorWorker', {
      mode: 'follow',
      name: 'depot_board',
      logPath: join(dir.path, 'events.db'),
      readModelPath: dir.file('depot_board.db'),
      batchSize: 100,
      pollMs: 20,
    });
    const messages: FromWorker[] = [];
    const errors: string[] = [];
    worker.on('message', (message: FromWorker) => messages.push(message));
    worker.on('error', (error) => errors.push(error.message));
    const exited = new Promise<number>((resolve) => worker.on('exit', resolve));
    worker.postMessage({ kind: 'notify', head: SETUP.length } satisfies ToWorker);
    while (!messages.some((m) => m.kind === 'progress' && m.checkpoint === SETUP.length)) await new Promise((resolve) => setTimeout(resolve, 10));

    worker.postMessage({ kind: 'stop' } satisfies ToWorker);
    expect(await exited).toBe(0);
    expect(errors).toEqual([]);
    expect(messages.at(-1)).toEqual({ kind: 'stopped' });
    expect(messages.at(-2)).toMatchObject({ kind: 'progress', state: 'stopped', checkpoint: SETUP.length, error: null });
  });
});

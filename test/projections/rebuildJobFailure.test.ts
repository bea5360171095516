// A rebuild whose job dies is a failure, not a cancellation: the caller gets an error that says so,
// and the Projections screen gets a final push, so it never shows the rebuild running for ever.
import { afterEach, describe, expect, it } from 'vitest';
import type { RebuildProgress } from '../../db/contract/index.ts';
import { openTestCore, type TestCore } from '../helpers/testCore.ts';
import { nodeProcessLauncher, type ProcessLauncher } from '../../db/runtime/processLauncher.ts';
import { seedFolder, servingFile } from './helpers/dataFolder.ts';
import { createTempDirs } from './helpers/tempDirs.ts';

const dirs = createTempDirs('job-failure');
let waybill: TestCore | null = null;
afterEach(async () => {
  await waybill?.close();
  waybill = null;
  dirs.cleanup();
});

describe('a rebuild job that dies', () => {
  it('answers a typed failure (not a cancellation) and pushes a final "failed" progress', async () => {
    const dir = await (async () => {
      const made = dirs.make();
      await seedFolder(made, { events: 20_000, project: true });
      return made;
    })();
    let killJob: (() => void) | null = null;
    // The job is killed as soon as it reports its first progress: deterministic, whatever the machine's speed.
    const launcher: ProcessLauncher = (entryFile, args) => {
      const handle = nodeProcessLauncher(entryFile, args);
      killJob = () => process.kill(handle.pid!, 'SIGKILL');
      return handle;
    };
    waybill = await openTestCore({ dataDir: dir, jobLauncher: launcher });
    const before = servingFile(dir, 'parcel_summary');
    const pushed: RebuildProgress[] = [];
    waybill.subscribe('rebuild', (progress) => {
      pushed.push(progress);
      if (progress.phase === 'loading' && killJob) {
        killJob();
        killJob = null;
      }
    });

    const answer = await waybill.call('rebuild', { projection: 'parcel_summary' });

    expect(answer).toEqual({
      ok: false,
      error: { code: 'INTERNAL', message: expect.stringMatching(/rebuild of parcel_summary stopped .*before it finished.*keeps serving/), retryable: true },
    });
    await expect.poll(() => pushed.at(-1)).toMatchObject({ name: 'parcel_summary', phase: 'failed', error: expect.stringContaining('stopped') });
    expect(await waybill.projectionStatus('parcel_summary')).toMatchObject({ state: 'idle', rebuild: null });
    expect(servingFile(dir, 'parcel_summary')).toBe(before);
  }, 120_000);
});

// Scenario 6b: another program holds a lock in the data folder. On the log: a command waits its
// busy timeout, then answers UNAVAILABLE (retryable) having appended nothing, reads keep working,
// and the same command id succeeds once the lock is gone; a folder locked exclusively at start
// fails to open with the same clear error. On a read model: its projector pauses and resumes.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { logPathIn } from '../../db/core/dataPaths.ts';
import { openTestCore } from '../helpers/testCore.ts';
import { WaybillError } from '../../db/contract/waybillError.ts';
import { tempDataDir } from '../helpers/tempDataDir.ts';
import { spawnJsonChild, type JsonChild } from './helpers/children.ts';
import { roundCommands, SETUP } from './helpers/workload.ts';

const holderScript = fileURLToPath(new URL('./helpers/lockHolder.ts', import.meta.url));
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function holdLock(file: string, mode: 'transaction' | 'exclusive'): Promise<JsonChild> {
  const holder = spawnJsonChild(holderScript, [file, mode]);
  cleanups.push(() => holder.kill());
  const locked = await holder.waitFor((line) => line.locked === true);
  if (!locked) throw new Error(`the lock holder failed: ${holder.stderr()}`);
  return holder;
}

async function recordedFolder(label: string) {
  const dir = tempDataDir(label);
  const waybill = await openTestCore({ dataDir: dir.path, projectors: 'inline', backgroundCheckpoints: false });
  for (const request of [...SETUP, ...roundCommands('lock', 0)]) expect(await waybill.command(request)).toMatchObject({ ok: true });
  await waybill.core.catchUpAll();
  await waybill.close();
  return dir;
}

const weather = { type: 'RecordWeather', commandId: 'while-locked', payload: { region: 'north', condition: 'rain' } } as const;

describe('a data folder locked by another program', () => {
  it('refuses a command with UNAVAILABLE (retryable) while the log is locked, keeps answering queries, and takes the same command id afterwards', async () => {
    const dir = await recordedFolder('locked');
    const waybill = await openTestCore({ dataDir: dir.path, projectors: 'inline' });
    cleanups.push(() => waybill.close());
    const head = waybill.head();
    const holder = await holdLock(logPathIn(dir.path), 'transaction');

    const before = await waybill.query('parcels.list', { limit: 3 });
    expect(before).toMatchObject({ ok: true, data: { rows: expect.objectContaining({ length: 3 }) } });
    const refused = await waybill.command(weather);
    expect(refused).toEqual({ ok: false, error: { code: 'UNAVAILABLE', message: expect.stringContaining('locked by another program'), retryable: true } });
    expect(waybill.head()).toBe(head);
    const during = await waybill.query('events.list', { limit: 2 });
    expect(during).toMatchObject({ ok: true, data: { rows: [{ position: head }, { position: head - 1 }] } });

    await holder.kill();
    const retried = await waybill.command(weather);
    expect(retried).toMatchObject({ ok: true, position: head + 1, duplicate: false });
    expect(await waybill.command(weather)).toMatchObject({ ok: true, position: head + 1, duplicate: true });
  });

  it('fails to open, with UNAVAILABLE (retryable) naming the lock, while another program holds the log exclusively, and opens once it lets go', async () => {
    const dir = await recordedFolder('locked-exclusive');
    const holder = await holdLock(logPathIn(dir.path), 'exclusive');
    const failure = await openTestCore({ dataDir: dir.path, projectors: 'inline' }).then(
      (w) => w.close().then(() => null),
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(WaybillError);
    expect(failure).toMatchObject({ code: 'UNAVAILABLE', retryable: true, message: expect.stringContaining('locked by another program') });

    await holder.kill();
    const waybill = await openTestCore({ dataDir: dir.path, projectors: 'inline' });
    cleanups.push(() => waybill.close());
    expect((await waybill.verify()).ok).toBe(true);
  });

  it('pauses the projector of a read model whose file is locked, while commands and queries go on, and catches it up once the lock is gone', async () => {
    const dir = await recordedFolder('locked-read-model');
    const waybill = await openTestCore({ dataDir: dir.path, projectors: 'workers' });
    cleanups.push(() => waybill.close());
    await waybill.core.catchUpAll();
    const summaryFile = join(dir.path, 'read', readFileSync(join(dir.path, 'read', 'parcel_summary.current'), 'utf8').trim());
    const holder = await holdLock(summaryFile, 'transaction');

    const appended = await waybill.command(weather);
    if (!appended.ok) throw new Error(appended.error.message);
    const deadline = Date.now() + 30_000;
    while (!(await waybill.projectionStatus('parcel_summary')).error && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await waybill.projectionStatus('parcel_summary')).toMatchObject({ state: 'halted', error: expect.stringMatching(/^Paused: storage is unavailable/), deadLetters: [] });
    const stale = await waybill.query('parcels.list', { limit: 2 });
    expect(stale).toMatchObject({ ok: true, freshness: { lag: 1, stale: false } });
    const timeline = await waybill.query('events.list', { limit: 1 }, { minPosition: appended.position, timeoutMs: 20_000 });
    expect(timeline).toMatchObject({ ok: true, freshness: { stale: false, position: appended.position } });

    await holder.kill();
    const fresh = await waybill.query('parcels.list', { limit: 2 }, { minPosition: appended.position, timeoutMs: 30_000 });
    expect(fresh).toMatchObject({ ok: true, freshness: { lag: 0, stale: false, position: appended.position } });
    expect(await waybill.projectionStatus('parcel_summary')).toMatchObject({ error: null, checkpoint: appended.position });
    expect((await waybill.verify()).ok).toBe(true);
  });
});

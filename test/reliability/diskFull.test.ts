// Scenario 5: the disk fills up. A command gets a typed, retryable STORAGE_FULL; no command is half
// written; the log stays intact; appends resume once space is freed; projectors pause and resume
// by themselves rather than crash. A real full filesystem (a small tmpfs) where this process may
// mount one; everywhere, the writer's own page limit (PRAGMA max_page_count).
import Database from 'better-sqlite3';
import { writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CommandRequest, CommandResult, ProjectionStatus, QueryName, ReadModelName } from '../../db/contract/index.ts';
import { logPathIn } from '../../db/core/dataPaths.ts';
import { openTestCore, type TestCore } from '../helpers/testCore.ts';
import { projections } from '../../db/projections/index.ts';
import { ReadModelFiles } from '../../db/readmodel/readModelFiles.ts';
import { tempDataDir } from '../helpers/tempDataDir.ts';
import { canMount, mountTmpfs, type SmallFilesystem } from './helpers/smallFilesystem.ts';
import { auditLog, type Ack } from './helpers/writerCrash.ts';
import { roundCommands, SETUP } from './helpers/workload.ts';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

interface FillOutcome {
  acks: Ack[];
  full: Extract<CommandResult, { ok: false }>['error'];
  /** Codes answered to commands sent after the first STORAGE_FULL, while still full. */
  laterCodes: string[];
}

/** Appends rounds until a command answers STORAGE_FULL, then sends a few independent commands more. */
async function appendUntilFull(waybill: TestCore, prefix: string): Promise<FillOutcome> {
  const acks: Ack[] = [];
  const send = (request: CommandRequest) => waybill.command(request);
  for (let round = 0; round < 5000; round++) {
    for (const request of roundCommands(prefix, round)) {
      const result = await send(request);
      if (result.ok) {
        acks.push({ id: result.commandId, position: result.position, events: result.events.length, duplicate: result.duplicate });
        continue;
      }
      if (result.error.code !== 'STORAGE_FULL') throw new Error(`unexpected rejection before the disk filled: ${JSON.stringify(result.error)}`);
      const laterCodes: string[] = [];
      for (let i = 0; i < 5; i++) {
        const later = await send({ type: 'RecordWeather', payload: { region: 'north', condition: 'storm' } });
        laterCodes.push(later.ok ? 'ok' : later.error.code);
      }
      return { acks, full: result.error, laterCodes };
    }
    await new Promise((resolve) => setImmediate(resolve)); // let the projector threads' reports in between rounds
  }
  throw new Error('the disk never filled');
}

/** One query per read model, so a new read model cannot fall out of the check. */
const readOf: Record<ReadModelName, readonly [QueryName, object]> = {
  parcel_summary: ['parcels.list', {}],
  parcel_timeline: ['parcel.timeline', { parcelId: 'x' }],
  route_board: ['route.current', { driverId: 'drv' }],
  depot_board: ['depots.board', {}],
  eta_stats: ['parcel.eta', { parcelId: 'x' }],
  event_history: ['events.list', {}],
  conflicts: ['conflicts.list', {}],
};

/** Asks every read model for `position` (read-your-writes through the public API): the answers, in projection order. */
async function readsAt(waybill: TestCore, position: number): Promise<unknown[]> {
  const answers: unknown[] = [];
  for (const projection of projections) {
    const [query, params] = readOf[projection.name];
    answers.push(await waybill.query(query, params as never, { minPosition: position, timeoutMs: 30_000 }));
  }
  return answers;
}

describe('a full disk', () => {
  it.runIf(canMount)('on a real full filesystem (tmpfs): typed STORAGE_FULL, nothing partial, projectors pause, and everything resumes once space is freed', async () => {
    const fs = mountTmpfs(12 * 1024 * 1024) as SmallFilesystem;
    cleanups.push(() => fs.unmount());
    const dataDir = join(fs.path, 'data');
    const waybill = await openTestCore({ dataDir, projectors: 'workers' });
    cleanups.push(() => waybill.close());
    for (const request of SETUP) expect(await waybill.command(request)).toMatchObject({ ok: true });
    await waybill.core.catchUpAll();

    // parcel_summary's projector is kept from writing (its file locked, as another program could)
    // while the log fills the disk; the last bytes are taken too, so once the lock is gone its batch
    // finds no room. The other projectors race the log for the space: caught up or paused, either is right.
    const ballast = join(fs.path, 'ballast');
    writeFileSync(ballast, Buffer.alloc(Math.max(0, fs.freeBytes() - 256 * 1024)));
    const lock = new Database(new ReadModelFiles(dataDir).current('parcel_summary'), { fileMustExist: true });
    lock.exec('BEGIN EXCLUSIVE');
    const filled = await appendUntilFull(waybill, 'full');
    const acks = filled.acks;
    expect(filled.full).toEqual({ code: 'STORAGE_FULL', message: expect.stringContaining('disk is full'), retryable: true });
    expect(filled.laterCodes.every((code) => code === 'STORAGE_FULL' || code === 'ok')).toBe(true);
    const lastBytes = join(fs.path, 'last-bytes');
    writeFileSync(lastBytes, Buffer.alloc(fs.freeBytes()));
    lock.exec('ROLLBACK');
    lock.close();

    // Let the projectors settle: parcel_summary paused for want of space (it retries what the lock
    // refused with backoff), each other one caught up or paused with a reason.
    const head = waybill.head();
    const deadline = Date.now() + 30_000;
    const settled = (p: ProjectionStatus) => (p.name === 'parcel_summary' ? /disk is full/.test(p.error ?? '') : p.checkpoint === head || p.error !== null);
    let statuses = (await waybill.status()).projections;
    while (Date.now() < deadline && !statuses.every(settled)) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      statuses = (await waybill.status()).projections;
    }
    // Projectors that could not write pause with the reason and keep running: no crash, no dead letters.
    expect(statuses.find((p) => p.name === 'parcel_summary')).toMatchObject({ checkpoint: expect.any(Number), error: expect.stringMatching(/^Paused: .*disk is full/) });
    expect(statuses.find((p) => p.name === 'parcel_summary')!.checkpoint).toBeLessThan(head);
    for (const p of statuses) {
      expect(p.deadLetters).toEqual([]);
      if (p.checkpoint < head) expect([p.name, p.error]).toEqual([p.name, expect.stringMatching(/^Paused: .*disk is full/)]);
    }
    expect(acks.length).toBeGreaterThan(0);
    const audit = auditLog(logPathIn(dataDir), acks);
    expect(audit).toMatchObject({ missing: [], miscounted: [], partial: [], orphanEvents: 0, gaps: 0 });

    rmSync(ballast);
    rmSync(lastBytes);
    const resumed = await waybill.command({ type: 'RecordWeather', payload: { region: 'north', condition: 'clear' } });
    expect(resumed).toMatchObject({ ok: true, position: head + 1 });
    const position = resumed.ok ? resumed.position : 0;
    expect(await readsAt(waybill, position)).toMatchObject(projections.map(() => ({ ok: true, freshness: { stale: false } })));
    // A paused follower clears its reason on its next successful batch: give the last report a moment to arrive.
    const errors = async () => (await waybill.status()).projections.map((p) => [p.name, p.error]);
    for (let deadline = Date.now() + 15_000; Date.now() < deadline && (await errors()).some(([, error]) => error !== null); ) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(await errors()).toEqual(projections.map((p) => [p.name, null]));
    const report = await waybill.verify();
    expect(report.log).toMatchObject({ integrity: 'ok', gapless: true, chain: { ok: true } });
    expect(report.ok).toBe(true);
  }, 120_000);

  it('at the writer’s page limit (max_page_count): typed STORAGE_FULL, nothing partial, appends resume when the limit is raised', async () => {
    const dir = tempDataDir('disk-full');
    const waybill = await openTestCore({ dataDir: dir.path, projectors: 'inline' });
    cleanups.push(() => waybill.close());
    for (const request of SETUP) expect(await waybill.command(request)).toMatchObject({ ok: true });
    const writer = waybill.core.inlineLogWriter();
    const pages = writer.pragma('page_count', { simple: true }) as number;
    writer.pragma(`max_page_count = ${pages + 16}`);

    const filled = await appendUntilFull(waybill, 'limit');
    expect(filled.full).toEqual({ code: 'STORAGE_FULL', message: expect.stringContaining('disk is full'), retryable: true });
    expect(filled.laterCodes.every((code) => code === 'STORAGE_FULL' || code === 'ok')).toBe(true);
    expect(auditLog(logPathIn(dir.path), filled.acks)).toMatchObject({ missing: [], miscounted: [], partial: [], orphanEvents: 0, gaps: 0 });

    writer.pragma('max_page_count = 1073741823');
    const head = waybill.head();
    const resumed = await waybill.command({ type: 'RecordWeather', payload: { region: 'north', condition: 'clear' } });
    expect(resumed).toMatchObject({ ok: true, position: head + 1 });
    expect((await waybill.verify()).ok).toBe(true);
  });
});

// Scenario 5: the disk fills up. A command gets a typed, retryable STORAGE_FULL; no command is half
// written; the log stays intact; appends resume once space is freed; projectors pause and resume
// by themselves rather than crash. A real full filesystem (a small tmpfs) where this process may
// mount one; everywhere, the writer's own page limit (PRAGMA max_page_count).
import { writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CommandRequest, CommandResult } from '../../db/contract/index.ts';
import { logPathIn } from '../../db/core/dataPaths.ts';
import { openWaybill, type OpenedWaybill } from '../../db/core/openWaybill.ts';
import { projections } from '../../db/projections/index.ts';
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
async function appendUntilFull(waybill: OpenedWaybill, prefix: string): Promise<FillOutcome> {
  const acks: Ack[] = [];
  const send = (request: CommandRequest) => waybill.api.command(request);
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
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  throw new Error('the disk never filled');
}

/** Waits until every read model has applied `position` (read-your-writes through the public API). */
async function allCaughtUp(waybill: OpenedWaybill, position: number): Promise<boolean[]> {
  const fresh: boolean[] = [];
  for (const query of ['parcels.list', 'parcel.timeline', 'route.current', 'depots.board', 'parcel.eta', 'events.list'] as const) {
    const params = query === 'parcel.timeline' || query === 'parcel.eta' ? { parcelId: 'x' } : query === 'route.current' ? { driverId: 'drv' } : {};
    const answer = await waybill.query(query, params as never, { minPosition: position, timeoutMs: 30_000 });
    fresh.push(answer.ok && !answer.freshness.stale);
  }
  return fresh;
}

describe('a full disk', () => {
  it.runIf(canMount)('on a real full filesystem (tmpfs): typed STORAGE_FULL, nothing partial, projectors pause, and everything resumes once space is freed', async () => {
    const fs = mountTmpfs(12 * 1024 * 1024) as SmallFilesystem;
    cleanups.push(() => fs.unmount());
    const dataDir = join(fs.path, 'data');
    const waybill = await openWaybill({ dataDir, projectors: 'workers' });
    cleanups.push(() => waybill.close());
    for (const request of SETUP) expect((await waybill.api.command(request)).ok).toBe(true);
    await waybill.catchUpAll();

    // Fill the disk, leaving a few small spare files to free one at a time: the log takes the freed
    // space in a burst of appends, and sooner or later a projector finds none left for its batch.
    const ballast = join(fs.path, 'ballast');
    const spares = Array.from({ length: 12 }, (_, i) => join(fs.path, `spare-${i}`));
    for (const spare of spares) writeFileSync(spare, Buffer.alloc(96 * 1024));
    writeFileSync(ballast, Buffer.alloc(Math.max(0, fs.freeBytes() - 256 * 1024)));
    const acks: Ack[] = [];
    let statuses = waybill.status().projections;
    for (const [round, spare] of spares.entries()) {
      const filled = await appendUntilFull(waybill, `full${round}`);
      acks.push(...filled.acks);
      expect(filled.full).toEqual({ code: 'STORAGE_FULL', message: expect.stringContaining('disk is full'), retryable: true });
      expect(filled.laterCodes.every((code) => code === 'STORAGE_FULL' || code === 'ok')).toBe(true);
      // Let the projectors settle: caught up, or paused with a reason.
      const head = waybill.head();
      const deadline = Date.now() + 20_000;
      statuses = waybill.status().projections;
      while (Date.now() < deadline && !statuses.every((p) => p.checkpoint === head || p.error !== null)) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        statuses = waybill.status().projections;
      }
      if (statuses.some((p) => p.checkpoint < head)) break;
      rmSync(spare);
    }
    // Projectors that could not write pause with the reason and keep running: no crash, no dead letters.
    expect(statuses.some((p) => p.checkpoint < waybill.head())).toBe(true);
    for (const p of statuses) {
      expect(p.deadLetters).toEqual([]);
      if (p.checkpoint < waybill.head()) expect([p.name, p.error]).toEqual([p.name, expect.stringMatching(/^Paused: .*disk is full/)]);
    }
    expect(acks.length).toBeGreaterThan(0);
    const audit = auditLog(logPathIn(dataDir), acks);
    expect(audit).toMatchObject({ missing: [], miscounted: [], partial: [], orphanEvents: 0, gaps: 0 });

    rmSync(ballast);
    for (const spare of spares) rmSync(spare, { force: true });
    const resumed = await waybill.api.command({ type: 'RecordWeather', payload: { region: 'north', condition: 'clear' } });
    expect(resumed.ok).toBe(true);
    const position = resumed.ok ? resumed.position : 0;
    expect(await allCaughtUp(waybill, position)).toEqual(projections.map(() => true));
    // A paused follower clears its reason on its next successful batch: give the last report a moment to arrive.
    const errors = () => waybill.status().projections.map((p) => [p.name, p.error]);
    for (let deadline = Date.now() + 15_000; Date.now() < deadline && errors().some(([, error]) => error !== null); ) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(errors()).toEqual(projections.map((p) => [p.name, null]));
    const report = await waybill.verify();
    expect(report.log).toMatchObject({ integrity: 'ok', gapless: true, chain: { ok: true } });
    expect(report.ok).toBe(true);
  }, 120_000);

  it('at the writer’s page limit (max_page_count): typed STORAGE_FULL, nothing partial, appends resume when the limit is raised', async () => {
    const dir = tempDataDir('disk-full');
    const waybill = await openWaybill({ dataDir: dir.path, projectors: 'inline' });
    cleanups.push(() => waybill.close());
    for (const request of SETUP) expect((await waybill.api.command(request)).ok).toBe(true);
    const writer = waybill.writerForImport();
    const pages = writer.pragma('page_count', { simple: true }) as number;
    writer.pragma(`max_page_count = ${pages + 16}`);

    const filled = await appendUntilFull(waybill, 'limit');
    expect(filled.full).toEqual({ code: 'STORAGE_FULL', message: expect.stringContaining('disk is full'), retryable: true });
    expect(filled.laterCodes.every((code) => code === 'STORAGE_FULL' || code === 'ok')).toBe(true);
    expect(auditLog(logPathIn(dir.path), filled.acks)).toMatchObject({ missing: [], miscounted: [], partial: [], orphanEvents: 0, gaps: 0 });

    writer.pragma('max_page_count = 1073741823');
    const resumed = await waybill.api.command({ type: 'RecordWeather', payload: { region: 'north', condition: 'clear' } });
    expect(resumed.ok).toBe(true);
    expect((await waybill.verify()).ok).toBe(true);
  });
});

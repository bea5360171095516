// Scenario 1: the writer process is SIGKILLed at random moments while it appends. Every command it
// acknowledged must be in the log, whole; no command may be half there; positions stay gapless;
// and after a restart every read model equals a fresh rebuild.
import { afterAll, describe, expect, it } from 'vitest';
import { logPathIn } from '../../db/core/dataPaths.ts';
import { openTestCore } from '../helpers/testCore.ts';
import { createTempDataDir } from '../helpers/tempDataDir.ts';
import { auditLog, runWriterCrashes } from './helpers/writerCrash.ts';

const KILLS = 12;
const SEED = Number(process.env.WAYBILL_CRASH_SEED ?? 20_261_127);
const dir = createTempDataDir('writer-crash');
afterAll(() => dir.remove());

describe('a writer killed with SIGKILL at random moments', () => {
  it(`loses no acknowledged command, leaves none half-written, and restarts to read models equal to a rebuild (${KILLS} kills, seed ${SEED})`, async () => {
    const run = await runWriterCrashes(dir.path, { kills: KILLS, seed: SEED, maxAcks: 80, maxCheckpoints: 24 });
    expect(run.problems).toEqual([]);
    expect(run.kills).toBe(KILLS);
    // The kills must really land mid-append, not only before the first command.
    expect(run.killsWhileAppending).toBeGreaterThanOrEqual(KILLS / 2);
    expect(run.acks.filter((ack) => !ack.duplicate).length).toBeGreaterThan(50);
    expect(run.acks.some((ack) => ack.events > 1)).toBe(true);
    // …and the projector threads of the killed process were behind the writer at some of the kills.
    expect(run.killsWhileProjecting).toBeGreaterThan(0);

    const audit = auditLog(logPathIn(dir.path), run.acks);
    expect(audit).toEqual({ head: audit.head, missing: [], miscounted: [], partial: [], orphanEvents: 0, gaps: 0 });
    // A retried command id is in the log at most once, whether or not it had committed before the kill.
    for (const id of run.retried) expect(run.acks.filter((ack) => ack.id === id && !ack.duplicate).length).toBeLessThanOrEqual(1);
    expect(Math.max(...run.acks.map((ack) => ack.position))).toBeLessThanOrEqual(audit.head);

    const waybill = await openTestCore({ dataDir: dir.path, projectors: 'workers' });
    try {
      await waybill.core.catchUpAll();
      const report = await waybill.verify();
      expect(report.log).toEqual({ head: audit.head, gapless: true, guards: true, integrity: 'ok', chain: { ok: true, firstBadPosition: null }, origins: { ok: true, devices: 1, firstBadPosition: null } });
      expect(report.readModels.map((r) => [r.name, r.ok, r.checkpoint])).toEqual(report.readModels.map((r) => [r.name, true, audit.head]));
      expect(report.ok).toBe(true);
      console.info(
        `[reliability] writer crash: ${run.kills} kills (${run.killsWhileAppending} mid-append, ${run.killsWhileProjecting} with projectors behind), ` +
          `${run.acks.filter((a) => !a.duplicate).length} commands acknowledged, ${run.retried.length} retried after a kill, head ${audit.head}, all read models equal a rebuild`,
      );
    } finally {
      await waybill.close();
    }
  }, 180_000);
});

// Scenario 4: a projection handler throws on one event. Through the public API: the event is retried
// a bounded number of times, then parked with its error (policy park) or the projection halts
// (policy halt); status shows it; nothing loops; after the fix a retry applies it.
import { writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { CommandRequest, ProjectionStatus, ReadModelName } from '../../db/contract/index.ts';
import { logPathIn } from '../../db/core/dataPaths.ts';
import { openTestCore, type TestCore } from '../helpers/testCore.ts';
import { streamIds, type StoredEvent } from '../../db/domain/events.ts';
import type { FollowWorkerData, FromWorker, ToWorker } from '../../db/projector/messages.ts';
import { defaultBuiltFiles, startEntryThread } from '../../db/runtime/builtFiles.ts';
import { projectionByName } from '../../db/projections/index.ts';
import { HANDLER_ATTEMPTS } from '../../db/readmodel/catchUp.ts';
import { ReadModelFiles } from '../../db/readmodel/readModelFiles.ts';
import { tempDataDir } from '../helpers/tempDataDir.ts';
import { injectFault, type InjectedFault } from './helpers/faultInjection.ts';
import { SETUP, roundCommands } from './helpers/workload.ts';

const opened: TestCore[] = [];
const faults: InjectedFault[] = [];
afterEach(async () => {
  for (const fault of faults.splice(0)) fault.restore();
  for (const w of opened.splice(0)) await w.close();
});

async function open(projectors: 'inline' | 'workers', dataDir = tempDataDir('poison').path): Promise<TestCore> {
  const waybill = await openTestCore({ dataDir, projectors });
  opened.push(waybill);
  return waybill;
}

async function run(waybill: TestCore, requests: readonly CommandRequest[]): Promise<number> {
  let position = 0;
  for (const request of requests) {
    const result = await waybill.command(request);
    if (!result.ok) throw new Error(`${request.type} was rejected: ${result.error.message}`);
    position = result.position;
  }
  return position;
}

async function statusOf(waybill: TestCore, name: ReadModelName): Promise<ProjectionStatus> {
  const status = await waybill.query('projections.status', {});
  if (!status.ok) throw new Error(status.error.message);
  return status.data.projections.find((p) => p.name === name)!;
}

const WAKE_UPS = 20;

/** A follower of one read-model file that only messages wake (it polls once an hour), keeping what it reports. */
function quietFollower(logPath: string, readModelPath: string, name: ReadModelName) {
  const worker = startEntryThread(defaultBuiltFiles(), 'projector', { mode: 'follow', name, logPath, readModelPath, batchSize: 2000, pollMs: 3_600_000 } satisfies FollowWorkerData);
  const reports: Extract<FromWorker, { kind: 'progress' }>[] = [];
  const answers = new Map<number, (error: string | null) => void>();
  worker.on('message', (message: FromWorker) => {
    if (message.kind === 'progress') reports.push(message);
    if (message.kind === 'deadLetterDone') answers.get(message.requestId)?.(message.error);
  });
  let requests = 0;
  /**
   * Resolves once the follower has handled every message sent before: a dead-letter request is the
   * one message it answers. There is no dead letter at position 0, so asking to retry it changes nothing.
   */
  const handled = () =>
    new Promise<string | null>((resolve) => {
      const requestId = ++requests;
      answers.set(requestId, resolve);
      worker.postMessage({ kind: 'deadLetter', requestId, position: 0, action: 'retry' } satisfies ToWorker);
    });
  return { worker, reports, handled };
}

const registration = (parcelId: string) => (event: StoredEvent) => event.type === 'ParcelRegistered' && event.streamId === streamIds.parcel(parcelId);
const round = roundCommands('poison', 0);
const registrations = round.filter((c) => c.type === 'RegisterParcel');
const weather = (n: number): CommandRequest => ({ type: 'RecordWeather', payload: { region: 'north', condition: n % 2 ? 'rain' : 'clear' } });

describe('a handler that throws, policy park (parcel_summary)', () => {
  it('parks the event after a bounded number of attempts, shows it in status, never retries it by itself, and applies it once fixed', async () => {
    const fault = injectFault(projectionByName('parcel_summary'));
    faults.push(fault);
    fault.poisoned.add(registration('poisonr0p2'));
    const waybill = await open('inline');
    const head = await run(waybill, [...SETUP, ...registrations]);

    const list = await waybill.query('parcels.list', { limit: 10 });
    expect(list).toMatchObject({ ok: true, data: { total: registrations.length - 1 } });
    const status = await statusOf(waybill, 'parcel_summary');
    expect(status).toMatchObject({ policy: 'park', checkpoint: head, lag: 0 });
    expect(status.deadLetters).toEqual([
      expect.objectContaining({ type: 'ParcelRegistered', attempts: HANDLER_ATTEMPTS, error: expect.stringContaining('injected fault') }),
    ]);
    const [calls] = [...fault.calls.values()];
    expect(calls).toBeLessThanOrEqual(HANDLER_ATTEMPTS + 1); // one try in the batch, then the bounded retries

    // No hot loop: more commands and queries never touch the parked event again.
    for (let i = 0; i < 20; i++) {
      await run(waybill, [weather(i)]);
      await waybill.query('parcels.list', { limit: 10 });
    }
    expect([...fault.calls.values()]).toEqual([calls]);

    // The fix, then a retry through the API: applied once, dead letter gone, equal to a rebuild.
    fault.poisoned.clear();
    const position = status.deadLetters[0]!.position;
    expect(await waybill.call('deadLetter', { projection: 'parcel_summary', position, action: 'retry' })).toEqual({ ok: true });
    expect((await statusOf(waybill, 'parcel_summary')).deadLetters).toEqual([]);
    const after = await waybill.query('parcels.list', { limit: 10 });
    expect(after).toMatchObject({ ok: true, data: { total: registrations.length } });
    expect((await waybill.verify()).ok).toBe(true);
  });

  it('retries a parked event out of order: if later events of its stream were applied meanwhile, verify flags the difference and a rebuild repairs it', async () => {
    const fault = injectFault(projectionByName('parcel_summary'));
    faults.push(fault);
    fault.poisoned.add(registration('poisonr0p0'));
    const waybill = await open('inline');
    await run(waybill, [...SETUP, ...round.slice(0, registrations.length + 2)]); // registrations, plan and start the route
    await waybill.query('parcels.list', { limit: 10 });
    fault.poisoned.clear();
    const [parked] = (await statusOf(waybill, 'parcel_summary')).deadLetters;
    expect(await waybill.call('deadLetter', { projection: 'parcel_summary', position: parked!.position, action: 'retry' })).toEqual({ ok: true });

    const summary = await waybill.query('parcel.summary', { parcelId: 'poisonr0p0' });
    expect(summary).toMatchObject({ ok: true, data: { status: 'registered' } }); // its later route events were applied before it
    const report = await waybill.verify();
    expect(report.readModels.find((r) => r.name === 'parcel_summary')?.ok).toBe(false);
    expect(await waybill.rebuild('parcel_summary')).toEqual({ ok: true });
    const rebuilt = await waybill.query('parcel.summary', { parcelId: 'poisonr0p0' });
    expect(rebuilt).toMatchObject({ ok: true, data: { status: 'out_for_delivery' } });
    expect((await waybill.verify()).ok).toBe(true);
  });
});

describe('a handler that throws, policy halt (parcel_timeline)', () => {
  it('halts before the event with its error in status, stays bounded, and catches up once fixed', async () => {
    const fault = injectFault(projectionByName('parcel_timeline'));
    faults.push(fault);
    fault.poisoned.add(registration('poisonr0p1'));
    const waybill = await open('inline');
    const poisonedAt = await run(waybill, [...SETUP, ...registrations.slice(0, 2)]);
    const head = await run(waybill, registrations.slice(2));

    await waybill.query('parcel.timeline', { parcelId: 'poisonr0p0' });
    const halted = await statusOf(waybill, 'parcel_timeline');
    expect(halted).toMatchObject({ policy: 'halt', state: 'halted', lag: head - halted.checkpoint, deadLetters: [] });
    expect(halted.checkpoint).toBeLessThan(poisonedAt);
    expect(halted.error).toContain(`position ${poisonedAt}`);
    // Each catch-up tries the event a bounded number of times; the other read models carry on.
    const perCatchUp = [...fault.calls.values()][0]!;
    expect(perCatchUp).toBeLessThanOrEqual(HANDLER_ATTEMPTS + 1);
    await waybill.query('parcel.timeline', { parcelId: 'poisonr0p0' });
    expect([...fault.calls.values()][0]).toBeLessThanOrEqual(2 * (HANDLER_ATTEMPTS + 1));
    expect(await statusOf(waybill, 'parcel_summary')).toMatchObject({ checkpoint: head, state: 'idle' });

    fault.poisoned.clear();
    await waybill.query('parcel.timeline', { parcelId: 'poisonr0p1' });
    expect(await statusOf(waybill, 'parcel_timeline')).toMatchObject({ state: 'idle', checkpoint: head, lag: 0, error: null });
    expect((await waybill.verify()).ok).toBe(true);
  });
});

describe('a malformed event imported from another laptop, with worker-thread projectors', () => {
  it('is parked or halts each projection per its policy, visible in status, with its followers idle however often they are woken, and a skip lets a parked one go', async () => {
    const dir = tempDataDir('poison-import');
    const first = await open('inline', dir.path);
    await run(first, SETUP);
    const file = dir.file('bad.ndjson');
    const line = { eventId: '0190a000-0000-7000-8000-000000000001', streamId: 'parcel-px', version: 1, type: 'ParcelRegistered', schemaVersion: 2 };
    writeFileSync(file, `${JSON.stringify({ ...line, recordedAt: '2026-03-01T10:00:00Z', payload: { parcelId: 'px' }, metadata: { commandId: 'imported-1' } })}\n`);
    const imported = await first.call('import', { from: file });
    expect(imported).toMatchObject({ ok: true, imported: 1, skipped: 0 });
    await first.close();

    const waybill = await open('workers', dir.path);
    const head = imported.ok ? imported.head : -1;
    const settled = async () => {
      const deadline = Date.now() + 30_000;
      for (;;) {
        const status = await waybill.query('projections.status', {});
        if (!status.ok) throw new Error(status.error.message);
        const ready = status.data.projections.every((p) => (p.policy === 'park' ? p.checkpoint === head : p.state === 'halted'));
        if (ready || Date.now() > deadline) return status.data.projections;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    };
    const statuses = await settled();
    // parcel_summary parks it; event_history copies any payload, so it has nothing to park.
    const parked = (name: ReadModelName) => statuses.find((p) => p.name === name)!.deadLetters.map((d) => [d.position, d.attempts]);
    expect(parked('parcel_summary')).toEqual([[head, HANDLER_ATTEMPTS]]);
    expect(parked('event_history')).toEqual([]);
    for (const p of statuses) {
      if (p.policy === 'park') expect([p.name, p.state, p.checkpoint]).toEqual([p.name, 'idle', head]);
      else expect([p.name, p.state, p.checkpoint < head, p.error]).toEqual([p.name, 'halted', true, expect.stringContaining(`position ${head}`)]);
    }

    // No hot loop: woken again and again, a parked or a halted follower tries nothing and reports nothing.
    // Followers of their own on the same files, polling once an hour: these notifications are all that wakes them.
    const files = new ReadModelFiles(dir.path);
    const followers = statuses.map((p) => quietFollower(logPathIn(dir.path), files.current(p.name), p.name));
    try {
      await Promise.all(followers.map((f) => f.handled()));
      const settled = followers.map((f) => f.reports.length);
      for (let i = 0; i < WAKE_UPS; i++) for (const f of followers) f.worker.postMessage({ kind: 'notify', head } satisfies ToWorker);
      expect(await Promise.all(followers.map((f) => f.handled()))).toEqual(statuses.map(() => expect.stringContaining('No dead letter at position 0')));
      expect(followers.map((f, i) => [statuses[i]!.name, f.reports.slice(settled[i])])).toEqual(statuses.map((p) => [p.name, []]));
      expect(followers.map((f) => f.reports.at(-1))).toMatchObject(statuses.map((p) => ({ name: p.name, state: p.policy === 'park' ? 'idle' : 'halted', checkpoint: p.checkpoint })));
    } finally {
      await Promise.all(followers.map((f) => f.worker.terminate()));
    }

    expect(await waybill.call('deadLetter', { projection: 'parcel_summary', position: head, action: 'skip' })).toEqual({ ok: true });
    expect((await statusOf(waybill, 'parcel_summary')).deadLetters).toEqual([]);
    const next = await run(waybill, [weather(1)]);
    const list = await waybill.query('parcels.list', { limit: 5 }, { minPosition: next, timeoutMs: 20_000 });
    expect(list).toMatchObject({ ok: true, freshness: { stale: false, position: next } });
  });
});

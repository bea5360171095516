import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ProjectionStatus } from '../../db/contract/index.ts';
import { fakeApiForTests, syncStatusForTests } from '../api/fakeApiForTests.ts';
import { createLiveStore } from './liveStore.ts';

const status = (checkpoint: number, head: number): ProjectionStatus => ({
  name: 'parcel_summary',
  version: 1,
  storedVersion: 1,
  checkpoint,
  head,
  lag: head - checkpoint,
  state: 'catching_up',
  policy: 'park',
  error: null,
  eventsPerSecond: 500,
  deadLetters: [],
  rebuild: null,
});

afterEach(() => vi.useRealTimers());

describe('the live store', () => {
  it('hands a burst of push messages to React as one update', () => {
    vi.useFakeTimers();
    const api = fakeApiForTests();
    const live = createLiveStore(api, { flushMs: 200, sampleMs: 1000 });
    const updates: number[] = [];
    live.store.subscribe((state) => updates.push(state.head ?? -1));
    for (let head = 1; head <= 50; head++) api.push('head', { head, appendedPerSecond: 120 });
    expect(updates).toEqual([]);
    vi.advanceTimersByTime(200);
    expect(updates).toEqual([50]);
    expect(live.store.getState().appendedPerSecond).toBe(120);
    live.close();
  });

  it('samples write rate and lag once a second for the charts', () => {
    vi.useFakeTimers();
    const api = fakeApiForTests();
    const live = createLiveStore(api, { flushMs: 10, sampleMs: 1000 });
    api.push('head', { head: 100, appendedPerSecond: 40 });
    api.push('projection', status(70, 100));
    vi.advanceTimersByTime(1000);
    const { series } = live.store.getState();
    expect(series.writeRate).toEqual([40]);
    expect(series.lag.parcel_summary).toEqual([30]);
    vi.advanceTimersByTime(3000);
    expect(series.writeRate.slice(-1)).toEqual([0]);
    live.close();
  });

  it('says it is disconnected as soon as the connection to the core drops, and connected again once it is back', () => {
    vi.useFakeTimers();
    const api = fakeApiForTests();
    const live = createLiveStore(api, { flushMs: 10, sampleMs: 60_000 });
    api.setConnected(true);
    api.push('head', { head: 5, appendedPerSecond: 0 });
    vi.advanceTimersByTime(10);
    expect(live.store.getState()).toMatchObject({ connected: true, head: 5 });
    api.setConnected(false);
    vi.advanceTimersByTime(10);
    expect(live.store.getState()).toMatchObject({ connected: false, head: 5 });
    api.setConnected(true);
    vi.advanceTimersByTime(10);
    expect(live.store.getState().connected).toBe(true);
    live.close();
  });

  it('remembers the newest write so later reads can wait for it', () => {
    const live = createLiveStore(fakeApiForTests(), { flushMs: 10, sampleMs: 60_000 });
    expect(live.readOptions()).toBeUndefined();
    live.noteWrite(12);
    live.noteWrite(9);
    expect(live.readOptions()).toMatchObject({ minPosition: 12 });
    live.close();
  });

  it('starts from projections.status, since pushes only tell what changed', async () => {
    const api = fakeApiForTests();
    api.answerQuery('projections.status', () => ({
      ok: true,
      data: { head: 100, projections: [status(90, 100)], writeRefusal: null },
      freshness: { readModel: null, position: 100, head: 100, lag: 0, stale: false },
    }));
    vi.useFakeTimers();
    const live = createLiveStore(api, { flushMs: 200, sampleMs: 60_000 });
    await live.start();
    vi.advanceTimersByTime(200); // one flush
    expect(live.store.getState().head).toBe(100);
    expect(live.store.getState().projections.parcel_summary?.checkpoint).toBe(90);
    expect(live.store.getState().writeRefusal).toBeNull();
    live.close();
  });

  it('keeps how sync stands: from sync.status at start, then from the sync push topic and the answers of sync operations', async () => {
    const api = fakeApiForTests();
    const joined = syncStatusForTests({ joined: true, online: true, server: 'https://sync.example.org' });
    api.answerOperation('sync.status', () => ({ ok: true, status: joined }));
    vi.useFakeTimers();
    const live = createLiveStore(api, { flushMs: 10, sampleMs: 60_000 });
    await live.start();
    vi.advanceTimersByTime(10);
    expect(live.store.getState().sync).toEqual(joined);
    api.push('sync', { ...joined, online: false, waiting: 2 });
    vi.advanceTimersByTime(10);
    expect(live.store.getState().sync).toMatchObject({ online: false, waiting: 2 });
    live.noteSync(syncStatusForTests());
    expect(live.store.getState().sync).toMatchObject({ joined: false });
    live.close();

    const readOnly = fakeApiForTests();
    const refusal = { code: 'READ_ONLY' as const, message: 'This data folder is open read-only: it cannot sync.' };
    readOnly.answerOperation('sync.status', () => ({ ok: false, error: refusal }));
    const later = createLiveStore(readOnly, { flushMs: 10, sampleMs: 60_000 });
    await later.start();
    vi.advanceTimersByTime(10);
    expect(later.store.getState()).toMatchObject({ sync: null, syncRefusal: refusal });
    later.close();
  });

  it('counts read models swapped in by a finished rebuild, since their answers change while the head stays', () => {
    vi.useFakeTimers();
    const api = fakeApiForTests();
    const live = createLiveStore(api, { flushMs: 10, sampleMs: 60_000 });
    const progress = { name: 'parcel_summary' as const, position: 10, target: 10, eventsPerSecond: 0, etaSeconds: null };
    api.push('rebuild', { ...progress, phase: 'verifying' });
    vi.advanceTimersByTime(10);
    expect(live.store.getState().swaps).toBe(0);
    api.push('rebuild', { ...progress, phase: 'done' });
    vi.advanceTimersByTime(10);
    expect(live.store.getState().swaps).toBe(1);
    live.close();
  });

  it('knows when the session refuses commands, from the status or from a refused command', async () => {
    const api = fakeApiForTests();
    const refusal = { code: 'READ_ONLY' as const, message: 'This data folder was opened read-only: nothing can be recorded here.' };
    api.answerQuery('projections.status', () => ({
      ok: true,
      data: { head: 100, projections: [status(100, 100)], writeRefusal: refusal },
      freshness: { readModel: null, position: 100, head: 100, lag: 0, stale: false },
    }));
    vi.useFakeTimers();
    const live = createLiveStore(api, { flushMs: 200, sampleMs: 60_000 });
    await live.start();
    vi.advanceTimersByTime(200); // one flush
    expect(live.store.getState().writeRefusal).toEqual(refusal);
    live.close();

    const later = createLiveStore(fakeApiForTests(), { flushMs: 0, sampleMs: 60_000 });
    later.noteRefusal({ code: 'VALIDATION', message: 'weightKg must be positive', field: 'weightKg' });
    expect(later.store.getState().writeRefusal).toBeNull();
    const damaged = { code: 'CORRUPT' as const, message: 'The event log is damaged.' };
    later.noteRefusal(damaged);
    expect(later.store.getState().writeRefusal).toEqual(damaged);
    later.close();
  });
});

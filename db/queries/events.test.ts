import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { querySchemas, type QueryParams } from '../contract/index.ts';
import { openSampleHistory, type SampleHistory } from '../projections/testing/sampleHistory.ts';
import { eventHistory } from '../projections/eventHistory/projection.ts';
import { eventGet, eventsList } from './events.ts';

let history: SampleHistory;
let base = 0;
const times = ['2026-05-01T08:00:00.000Z', '2026-05-02T08:00:00.000Z', '2026-05-03T08:00:00.000Z', '2026-05-04T08:00:00.000Z'];

beforeAll(() => {
  history = openSampleHistory(1000, [eventHistory]);
  history.catchUp();
  base = list({ limit: 1 }).rows[0]!.position;
  history.run('RegisterDepot', { depotId: 'Q1', name: 'Leeds Hub', region: 'highlands' }, times[0]);
  history.run('RegisterDepot', { depotId: 'Q2', name: 'York Depot', region: 'highlands' }, times[1]);
  history.run('RecordWeather', { region: 'highlands', condition: 'snow' }, times[2]);
  history.run('RegisterDepot', { depotId: 'Q3', name: 'Snowdon Depot', region: 'wales' }, times[3]);
  history.catchUp();
});
afterAll(() => history.close());

const list = (params: QueryParams<'events.list'>) => {
  const run = eventsList.prepare(history.readers as never);
  return run(querySchemas['events.list'].parse(params));
};

describe('events.list', () => {
  it('lists newest first and pages with the last position as the cursor', () => {
    const first = list({ limit: 3 });
    expect(first.rows.map((r) => r.position)).toEqual([base + 4, base + 3, base + 2]);
    expect(first.next).toBe(base + 2);
    const second = list({ limit: 3, before: first.next! });
    expect(second.rows.map((r) => r.position)).toEqual([base + 1, base, base - 1]);
    const last = list({ limit: 1000, before: base - 1 });
    expect(last.rows).toHaveLength(base - 2);
    expect(last.next).toBeNull();
  });

  it('keeps only events recorded inside a time range, bounds included at the start', () => {
    expect(list({ from: times[1], to: times[3] }).rows.map((r) => r.recordedAt)).toEqual([times[2], times[1]]);
    expect(list({ from: times[3] }).rows.map((r) => r.position)).toEqual([base + 4]);
    expect(list({ from: '2026-04-01T00:00:00Z', to: times[0] }).rows).toEqual([]);
    expect(list({ to: times[0], limit: 1 }).rows[0]!.position).toBe(base);
    expect(list({ from: '2027-01-01T00:00:00Z' }).rows).toEqual([]);
  });

  it('filters by type, stream and actor', () => {
    expect(list({ type: 'WeatherRecorded', limit: 1 }).rows.map((r) => r.streamId)).toEqual(['region-highlands']);
    expect(list({ type: 'WeatherRecorded' }).rows.every((r) => r.type === 'WeatherRecorded')).toBe(true);
    expect(list({ streamId: 'depot-Q2' }).rows.map((r) => r.type)).toEqual(['DepotRegistered']);
    expect(list({ actor: 'dispatcher', limit: 4 }).rows).toHaveLength(4);
    expect(list({ actor: 'nobody' }).rows).toHaveLength(0);
  });

  it('finds events by words in their payload, and search text cannot inject FTS syntax', () => {
    expect(list({ search: 'snow', limit: 2 }).rows.map((r) => r.position)).toEqual([base + 4, base + 3]);
    expect(list({ search: 'highlands snow' }).rows.map((r) => r.position)).toEqual([base + 3]);
    expect(list({ search: 'york' }).rows.map((r) => r.streamId)).toEqual(['depot-Q2']);
    expect(list({ search: '" OR * NEAR(' }).rows).toEqual([]);
  });

  it('filters by correlation id, which by default is the command id', () => {
    const one = list({ limit: 1 }).rows[0]!;
    expect(list({ correlationId: one.correlationId! }).rows.map((r) => r.position)).toEqual([one.position]);
  });
});

describe('event.get', () => {
  it('returns one event with its payload and metadata, or null', () => {
    const run = eventGet.prepare(history.readers as never);
    const event = run({ position: base + 3 });
    expect(event).toMatchObject({ type: 'WeatherRecorded', metadata: { actor: 'dispatcher' } });
    expect(event!.payload).toEqual({ region: 'highlands', condition: 'snow', at: times[2] });
    expect(run({ position: base + 99 })).toBeNull();
  });
});

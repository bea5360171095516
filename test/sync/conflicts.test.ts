// Domain conflicts: two laptops offline break a rule together; both events stay, every laptop
// shows the same conflict records, and a person resolves one by a command that syncs too.
import { describe, expect, it } from 'vitest';
import type { CommandRequest, ConflictRow } from '../../db/contract/index.ts';
import type { TestCore } from '../helpers/testCore.ts';
import { joinedLaptop } from './laptops.ts';
import { syncServerFixture } from './server/syncServerFixture.ts';

const sync = syncServerFixture();

const joined = (name: string) => joinedLaptop(sync, name);

async function record(core: TestCore, ...requests: CommandRequest[]): Promise<number> {
  let position = 0;
  for (const request of requests) {
    const result = await core.command(request);
    if (!result.ok) throw new Error(`${request.type} was refused: ${result.error.message}`);
    position = result.position;
  }
  return position;
}

async function syncNow(core: TestCore): Promise<void> {
  expect(await core.call('sync.now', {})).toMatchObject({ ok: true, status: { problem: null } });
}

const parcel = (parcelId: string, trackingCode: string): CommandRequest => ({
  type: 'RegisterParcel',
  payload: { parcelId, trackingCode, recipient: { name: `Recipient ${parcelId}`, street: '1 Mill St', city: 'Leeds', postcode: 'LS1 4AP' }, originDepotId: 'north-hub', destinationDepotId: 'north-hub', weightKg: 2 },
});
const delivered = (parcelId: string, routeId = 'R1'): CommandRequest => ({ type: 'RecordDeliveryAttempt', payload: { parcelId, routeId, outcome: 'delivered' } });

async function conflictsOf(core: TestCore, state: 'open' | 'resolved' | 'all' = 'all'): Promise<ConflictRow[]> {
  const answer = await core.query('conflicts.list', { state });
  if (!answer.ok) throw new Error(answer.error.message);
  return answer.data.rows;
}

describe('conflicts between laptops', () => {
  it('are kept, shown alike on every laptop, and resolved by a command that syncs', async () => {
    const a = await joined('conflict-a');
    const b = await joined('conflict-b');
    await record(
      a,
      { type: 'RegisterDepot', payload: { depotId: 'north-hub', name: 'North Hub', region: 'north' } },
      { type: 'RegisterDriver', payload: { driverId: 'sam', name: 'Sam Carter', homeDepotId: 'north-hub' } },
      parcel('P1', 'WB000001'),
      parcel('P2', 'WB000002'),
      { type: 'PlanRoute', payload: { routeId: 'R1', driverId: 'sam', depotId: 'north-hub', date: '2026-12-04', parcelIds: ['P1'] } },
      { type: 'StartRoute', payload: { routeId: 'R1' } },
    );
    await syncNow(a);
    await syncNow(b);

    // Offline, each laptop follows its own rules and accepts what the other would refuse.
    await record(
      a,
      delivered('P1'),
      parcel('P10', 'WB000010'),
      parcel('P20', 'WB000020'),
      { type: 'PlanRoute', payload: { routeId: 'R2', driverId: 'sam', depotId: 'north-hub', date: '2026-12-04', parcelIds: ['P2'] } },
      { type: 'StartRoute', payload: { routeId: 'R2' } },
      delivered('P2', 'R2'),
    );
    await record(
      b,
      { type: 'ReportException', payload: { parcelId: 'P1', kind: 'lost' } },
      parcel('P10', 'WB000011'),
      parcel('P21', 'WB000020'),
      { type: 'RecordScan', payload: { parcelId: 'P2', depotId: 'north-hub', kind: 'arrived' } },
    );
    await syncNow(a);
    await syncNow(b);
    await syncNow(a);

    const inA = await conflictsOf(a);
    expect(inA.map((c) => [c.kind, c.parcelId, c.state]).sort()).toEqual([
      ['delivered_and_lost', 'P1', 'open'],
      ['parcel_registered_twice', 'P10', 'open'],
      ['scan_after_delivery', 'P2', 'open'],
      ['tracking_code_taken', 'P21', 'open'],
    ]);
    expect(await a.call('sync.status', {})).toMatchObject({ ok: true, status: { conflicts: 4 } });
    const lost = inA.find((c) => c.kind === 'delivered_and_lost')!;
    expect(lost).toMatchObject({
      summary: 'Parcel P1 was recorded delivered and reported lost.',
      first: { type: 'DeliveryAttempted', deviceId: a.core.deviceId, actor: 'tester' },
      second: { type: 'ExceptionReported', deviceId: b.core.deviceId, actor: 'tester' },
      resolution: null,
    });
    // Same records on the other laptop, under the same ids (it saw the events in another order first).
    const inB = await conflictsOf(b);
    expect(inB.map((c) => [c.conflictId, c.kind, c.summary]).sort()).toEqual(inA.map((c) => [c.conflictId, c.kind, c.summary]).sort());
    // Both events stay in the log.
    expect(await b.query('events.list', { streamId: 'parcel-P1', limit: 20 })).toMatchObject({
      ok: true,
      data: { rows: expect.arrayContaining([expect.objectContaining({ type: 'DeliveryAttempted' }), expect.objectContaining({ type: 'ExceptionReported' })]) },
    });

    expect(await a.command({ type: 'ResolveConflict', payload: { conflictId: lost.conflictId, outcome: 'corrected' } })).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'payload.note' } });
    const resolved = await record(a, { type: 'ResolveConflict', payload: { conflictId: lost.conflictId, outcome: 'confirmed', note: 'Signed for at the door' } });
    expect(await a.query('conflicts.list', { state: 'open' }, { minPosition: resolved })).toMatchObject({ ok: true, data: { open: 3 } });
    expect(await a.command({ type: 'ResolveConflict', payload: { conflictId: lost.conflictId, outcome: 'confirmed' } })).toMatchObject({ ok: false, error: { code: 'RULE', rule: 'conflict_resolved' } });
    await syncNow(a);
    await syncNow(b);
    expect(await b.call('sync.status', {})).toMatchObject({ ok: true, status: { conflicts: 3 } });
    expect((await conflictsOf(b, 'resolved')).map((c) => ({ id: c.conflictId, resolution: c.resolution }))).toEqual([
      { id: lost.conflictId, resolution: { outcome: 'confirmed', note: 'Signed for at the door', actor: 'tester', at: expect.any(String) } },
    ]);
    await Promise.all([a.close(), b.close()]);
  });
});

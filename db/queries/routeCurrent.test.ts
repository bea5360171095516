// route.current for a driver with a long history: it must find the open route by index, not by
// walking past every finished one (the hour's soak made 72,000 routes for one driver, and the
// walk grew to tens of milliseconds on the main thread).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { querySchemas } from '../contract/index.ts';
import { routeBoard } from '../projections/routeBoard/projection.ts';
import { planOf, recordStatements } from '../projections/testing/queryPlans.ts';
import { openSampleHistory, type SampleHistory } from '../projections/testing/sampleHistory.ts';
import type { ReadConnections } from './defineQuery.ts';
import { routeCurrent } from './routes.ts';

let history: SampleHistory;
const FINISHED_ROUTES = 30;

/** A route of one parcel of its own, planned, started, or delivered (then the route completes). */
function route(routeId: string, parcelId: string, finish: 'start' | 'deliver' | 'plan') {
  history.run('RegisterParcel', {
    parcelId,
    trackingCode: `WBKIT${parcelId.toUpperCase()}`,
    recipient: { name: 'Kit Recipient', street: '1 Mill St', city: 'Leeds', postcode: 'LS1 4AP' },
    originDepotId: 'east',
    destinationDepotId: 'east',
    weightKg: 1,
  });
  history.run('PlanRoute', { routeId, driverId: 'kit', depotId: 'east', date: '2026-03-10', parcelIds: [parcelId] });
  if (finish === 'plan') return;
  history.run('StartRoute', { routeId });
  if (finish === 'deliver') history.run('RecordDeliveryAttempt', { parcelId, routeId, outcome: 'delivered' });
}

beforeAll(() => {
  history = openSampleHistory(1000, [routeBoard]);
  history.run('RegisterDriver', { driverId: 'kit', name: 'Kit Driver', homeDepotId: 'east' });
  route('K-open', 'kp0', 'start');
  for (let i = 1; i <= FINISHED_ROUTES; i++) route(`K-${i}`, `kp${i}`, 'deliver');
  history.catchUp();
});
afterAll(() => history.close());

function currentRoute(readers: ReadConnections) {
  return routeCurrent.prepare(readers)(querySchemas['route.current'].parse({ driverId: 'kit' }));
}

describe('route.current for a driver with many finished routes', () => {
  it('finds the open route behind the finished ones, by index seeks on driver and state', () => {
    const recorder = recordStatements();
    const answer = currentRoute({ ...history.readers, route_board: recorder.wrap(history.readers.route_board) });
    expect(answer).toMatchObject({ routeId: 'K-open', state: 'started', stops: [{ parcelId: 'kp0', state: 'pending' }] });
    const routeLookups = recorder.calls.filter((call) => /\bFROM routes\b/.test(call.sql) && /\bstate\b/.test(call.sql.split('WHERE')[1] ?? ''));
    expect(routeLookups.length).toBeGreaterThan(0);
    for (const call of routeLookups) expect(planOf(call).join('\n')).toMatch(/SEARCH routes USING INDEX routes_by_driver_state \(driver_id=\? AND state=\?/);
  });

  it('prefers the newest open route, planned over an older started one', () => {
    route('K-next', 'kpnext', 'plan');
    history.catchUp();
    expect(currentRoute(history.readers)).toMatchObject({ routeId: 'K-next', state: 'planned' });
  });
});

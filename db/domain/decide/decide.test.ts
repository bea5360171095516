import { describe, expect, it } from 'vitest';
import type { Recipient } from '../../contract/index.ts';
import { event, streamIds, type DomainEvent } from '../events.ts';
import { given, NOW } from '../testing/givenWhenThen.ts';

// ── A small world: two depots, one driver, parcels that start at the north depot ──────────
const EARLIER = '2026-11-26T07:00:00.000Z';
const AT = '2026-11-27T10:15:00Z';
const recipient: Recipient = { name: 'Ada Lovelace', street: '12 St James Square', city: 'London', postcode: 'SW1Y 4JH' };
const trackingCodeOf = (parcelId: string) => `WB${parcelId.replace(/[^0-9]/g, '').padStart(6, '0')}`;

const depotRegistered = (depotId: string, region = 'north') =>
  event(streamIds.depot(depotId), 'DepotRegistered', { depotId, name: `Depot ${depotId}`, region, at: EARLIER });
const driverRegistered = (driverId = 'drv-1', homeDepotId = 'd-north') =>
  event(streamIds.driver(driverId), 'DriverRegistered', { driverId, name: 'Grace Hopper', homeDepotId, at: EARLIER });
const parcelRegistered = (parcelId: string) =>
  event(streamIds.parcel(parcelId), 'ParcelRegistered', {
    parcelId,
    trackingCode: trackingCodeOf(parcelId),
    recipient,
    originDepotId: 'd-north',
    destinationDepotId: 'd-south',
    weightKg: 2.5,
    description: null,
    promisedBy: null,
    at: EARLIER,
  });
const scanned = (parcelId: string, depotId: string, kind: 'arrived' | 'departed') =>
  event(streamIds.parcel(parcelId), 'ParcelScanned', { parcelId, depotId, kind, at: EARLIER });
const routePlanned = (routeId: string, parcelIds: string[]) =>
  event(streamIds.route(routeId), 'RoutePlanned', { routeId, driverId: 'drv-1', depotId: 'd-north', date: '2026-11-27', parcelIds, at: EARLIER });
const addedToRoute = (parcelId: string, routeId: string, stop: number, at = EARLIER) =>
  event(streamIds.parcel(parcelId), 'ParcelAddedToRoute', { parcelId, routeId, driverId: 'drv-1', depotId: 'd-north', stop, at });
const routeStarted = (routeId: string, at = EARLIER) => event(streamIds.route(routeId), 'RouteStarted', { routeId, driverId: 'drv-1', at });
const outForDelivery = (parcelId: string, routeId: string, at = EARLIER) =>
  event(streamIds.parcel(parcelId), 'ParcelOutForDelivery', { parcelId, routeId, driverId: 'drv-1', at });
const deliveryAttempted = (parcelId: string, routeId: string, outcome: 'delivered' | 'failed', reason: string | null = null, at = EARLIER) =>
  event(streamIds.parcel(parcelId), 'DeliveryAttempted', { parcelId, routeId, driverId: 'drv-1', outcome, reason, at });
const stopClosed = (routeId: string, parcelId: string, outcome: 'delivered' | 'failed', at = EARLIER) =>
  event(streamIds.route(routeId), 'RouteStopClosed', { routeId, parcelId, outcome, at });
const routeCompleted = (routeId: string, at = EARLIER) => event(streamIds.route(routeId), 'RouteCompleted', { routeId, driverId: 'drv-1', at });
const exceptionReported = (parcelId: string, kind: 'damaged' | 'lost' | 'address_problem', note: string | null = null, at = EARLIER) =>
  event(streamIds.parcel(parcelId), 'ExceptionReported', { parcelId, kind, note, at });

const world: DomainEvent[] = [depotRegistered('d-north'), depotRegistered('d-south', 'south'), driverRegistered()];
const atNorthDepot = (...parcelIds: string[]) => parcelIds.flatMap((id) => [parcelRegistered(id), scanned(id, 'd-north', 'arrived')]);
const onPlannedRoute = (routeId: string, ...parcelIds: string[]) => [
  ...atNorthDepot(...parcelIds),
  routePlanned(routeId, parcelIds),
  ...parcelIds.map((id, index) => addedToRoute(id, routeId, index + 1)),
];
const onStartedRoute = (routeId: string, ...parcelIds: string[]) => [
  ...onPlannedRoute(routeId, ...parcelIds),
  routeStarted(routeId),
  ...parcelIds.map((id) => outForDelivery(id, routeId)),
];
const deliveredOn = (routeId: string, parcelId: string) => [deliveryAttempted(parcelId, routeId, 'delivered'), stopClosed(routeId, parcelId, 'delivered')];

const registerParcelPayload = {
  parcelId: 'p-1',
  trackingCode: 'WB000001',
  recipient,
  originDepotId: 'd-north',
  destinationDepotId: 'd-south',
  weightKg: 2.5,
};

describe('RegisterDepot', () => {
  it('registers a new depot at the current time', () => {
    given()
      .when('RegisterDepot', { depotId: 'd-east', name: 'East Hub', region: 'east' })
      .then(event('depot-d-east', 'DepotRegistered', { depotId: 'd-east', name: 'East Hub', region: 'east', at: NOW }));
  });

  it('trims the depot name before recording it', () => {
    given()
      .when('RegisterDepot', { depotId: 'd-east', name: '  East Hub ', region: 'east' })
      .then(event('depot-d-east', 'DepotRegistered', { depotId: 'd-east', name: 'East Hub', region: 'east', at: NOW }));
  });

  it('refuses to register the same depot twice', () => {
    given(depotRegistered('d-north'))
      .when('RegisterDepot', { depotId: 'd-north', name: 'North again', region: 'north' })
      .thenRejects('CONFLICT', { field: 'depotId', rule: 'depot_exists' });
  });
});

describe('RegisterDriver', () => {
  it('registers a driver based at a known depot', () => {
    given(depotRegistered('d-north'))
      .when('RegisterDriver', { driverId: 'drv-2', name: 'Katherine Johnson', homeDepotId: 'd-north' })
      .then(event('driver-drv-2', 'DriverRegistered', { driverId: 'drv-2', name: 'Katherine Johnson', homeDepotId: 'd-north', at: NOW }));
  });

  it('refuses to register the same driver twice', () => {
    given(...world)
      .when('RegisterDriver', { driverId: 'drv-1', name: 'Someone else', homeDepotId: 'd-north' })
      .thenRejects('CONFLICT', { field: 'driverId', rule: 'driver_exists' });
  });

  it('refuses a driver whose home depot does not exist', () => {
    given(...world)
      .when('RegisterDriver', { driverId: 'drv-2', name: 'Katherine Johnson', homeDepotId: 'd-nowhere' })
      .thenRejects('NOT_FOUND', { field: 'homeDepotId', rule: 'depot_unknown' });
  });
});

describe('RegisterParcel', () => {
  it('registers a parcel, recording absent description and promise as null', () => {
    given(...world)
      .when('RegisterParcel', registerParcelPayload)
      .then(
        event('parcel-p-1', 'ParcelRegistered', {
          ...registerParcelPayload,
          description: null,
          promisedBy: null,
          at: NOW,
        }),
      );
  });

  it('records the optional phone, description and promised time, trimmed', () => {
    given(...world)
      .when('RegisterParcel', {
        ...registerParcelPayload,
        trackingCode: ' WB000001 ',
        recipient: { ...recipient, name: ' Ada Lovelace ', phone: '+44 20 7946 0958' },
        description: '  Books  ',
        promisedBy: '2026-11-29T18:00:00Z',
      })
      .then(
        event('parcel-p-1', 'ParcelRegistered', {
          ...registerParcelPayload,
          recipient: { ...recipient, phone: '+44 20 7946 0958' },
          description: 'Books',
          promisedBy: '2026-11-29T18:00:00Z',
          at: NOW,
        }),
      );
  });

  it('refuses to register the same parcel twice', () => {
    given(...world, parcelRegistered('p-1'))
      .when('RegisterParcel', { ...registerParcelPayload, trackingCode: 'WB999999' })
      .thenRejects('CONFLICT', { field: 'parcelId', rule: 'parcel_exists' });
  });

  it('refuses a tracking code another parcel already uses', () => {
    const outcome = given(...world, parcelRegistered('p-7')).when('RegisterParcel', { ...registerParcelPayload, trackingCode: 'WB000007' });
    outcome.thenRejects('CONFLICT', { field: 'trackingCode', rule: 'tracking_code_unique' });
    expect(outcome.decision).toMatchObject({ error: { message: expect.stringContaining('p-7') } });
  });

  it('refuses an unknown origin depot', () => {
    given(...world)
      .when('RegisterParcel', { ...registerParcelPayload, originDepotId: 'd-nowhere' })
      .thenRejects('NOT_FOUND', { field: 'originDepotId', rule: 'depot_unknown' });
  });

  it('refuses an unknown destination depot', () => {
    given(...world)
      .when('RegisterParcel', { ...registerParcelPayload, destinationDepotId: 'd-nowhere' })
      .thenRejects('NOT_FOUND', { field: 'destinationDepotId', rule: 'depot_unknown' });
  });
});

describe('RecordScan', () => {
  it('a registered parcel can arrive at its origin depot, at the time the scanner says', () => {
    given(...world, parcelRegistered('p-1'))
      .when('RecordScan', { parcelId: 'p-1', depotId: 'd-north', kind: 'arrived', at: AT })
      .then(event('parcel-p-1', 'ParcelScanned', { parcelId: 'p-1', depotId: 'd-north', kind: 'arrived', at: AT }));
  });

  it('a scan without its own time is recorded at the current time', () => {
    given(...world, parcelRegistered('p-1'))
      .when('RecordScan', { parcelId: 'p-1', depotId: 'd-north', kind: 'arrived' })
      .then(event('parcel-p-1', 'ParcelScanned', { parcelId: 'p-1', depotId: 'd-north', kind: 'arrived', at: NOW }));
  });

  it('a parcel at a depot can depart from it', () => {
    given(...world, ...atNorthDepot('p-1'))
      .when('RecordScan', { parcelId: 'p-1', depotId: 'd-north', kind: 'departed' })
      .then(event('parcel-p-1', 'ParcelScanned', { parcelId: 'p-1', depotId: 'd-north', kind: 'departed', at: NOW }));
  });

  it('a parcel in transit can arrive at the next depot', () => {
    given(...world, ...atNorthDepot('p-1'), scanned('p-1', 'd-north', 'departed'))
      .when('RecordScan', { parcelId: 'p-1', depotId: 'd-south', kind: 'arrived' })
      .then(event('parcel-p-1', 'ParcelScanned', { parcelId: 'p-1', depotId: 'd-south', kind: 'arrived', at: NOW }));
  });

  it('a parcel whose delivery failed can be scanned back into its depot', () => {
    given(...world, ...onStartedRoute('r-1', 'p-1'), deliveryAttempted('p-1', 'r-1', 'failed', 'Nobody home'), stopClosed('r-1', 'p-1', 'failed'))
      .when('RecordScan', { parcelId: 'p-1', depotId: 'd-north', kind: 'arrived' })
      .then(event('parcel-p-1', 'ParcelScanned', { parcelId: 'p-1', depotId: 'd-north', kind: 'arrived', at: NOW }));
  });

  it('a damaged parcel keeps moving', () => {
    given(...world, ...atNorthDepot('p-1'), exceptionReported('p-1', 'damaged'))
      .when('RecordScan', { parcelId: 'p-1', depotId: 'd-north', kind: 'departed' })
      .then(event('parcel-p-1', 'ParcelScanned', { parcelId: 'p-1', depotId: 'd-north', kind: 'departed', at: NOW }));
  });

  it('refuses a scan of an unknown parcel', () => {
    given(...world)
      .when('RecordScan', { parcelId: 'p-404', depotId: 'd-north', kind: 'arrived' })
      .thenRejects('NOT_FOUND', { field: 'parcelId', rule: 'parcel_unknown' });
  });

  it('refuses a scan at an unknown depot', () => {
    given(...world, parcelRegistered('p-1'))
      .when('RecordScan', { parcelId: 'p-1', depotId: 'd-nowhere', kind: 'arrived' })
      .thenRejects('NOT_FOUND', { field: 'depotId', rule: 'depot_unknown' });
  });

  it('refuses a scan of a delivered parcel', () => {
    given(...world, ...onStartedRoute('r-1', 'p-1'), ...deliveredOn('r-1', 'p-1'), routeCompleted('r-1'))
      .when('RecordScan', { parcelId: 'p-1', depotId: 'd-north', kind: 'arrived' })
      .thenRejects('RULE', { field: 'parcelId', rule: 'parcel_delivered' });
  });

  it('refuses a scan of a parcel reported lost', () => {
    given(...world, ...atNorthDepot('p-1'), exceptionReported('p-1', 'lost'))
      .when('RecordScan', { parcelId: 'p-1', depotId: 'd-north', kind: 'departed' })
      .thenRejects('RULE', { field: 'parcelId', rule: 'parcel_lost' });
  });

  it('refuses a depot scan of a parcel planned on a route', () => {
    given(...world, ...onPlannedRoute('r-1', 'p-1'))
      .when('RecordScan', { parcelId: 'p-1', depotId: 'd-north', kind: 'departed' })
      .thenRejects('RULE', { field: 'parcelId', rule: 'parcel_on_route' });
  });

  it('refuses a depot scan of a parcel out for delivery', () => {
    given(...world, ...onStartedRoute('r-1', 'p-1'))
      .when('RecordScan', { parcelId: 'p-1', depotId: 'd-south', kind: 'arrived' })
      .thenRejects('RULE', { field: 'parcelId', rule: 'parcel_on_route' });
  });

  it('refuses a second arrival at the depot the parcel is already at', () => {
    given(...world, ...atNorthDepot('p-1'))
      .when('RecordScan', { parcelId: 'p-1', depotId: 'd-north', kind: 'arrived' })
      .thenRejects('RULE', { field: 'depotId', rule: 'already_at_depot' });
  });

  it('refuses a departure from a depot the parcel is not at', () => {
    given(...world, ...atNorthDepot('p-1'))
      .when('RecordScan', { parcelId: 'p-1', depotId: 'd-south', kind: 'departed' })
      .thenRejects('RULE', { field: 'depotId', rule: 'not_at_depot' });
  });

  it('refuses a second departure while the parcel is in transit', () => {
    given(...world, ...atNorthDepot('p-1'), scanned('p-1', 'd-north', 'departed'))
      .when('RecordScan', { parcelId: 'p-1', depotId: 'd-north', kind: 'departed' })
      .thenRejects('RULE', { field: 'depotId', rule: 'not_at_depot' });
  });
});

describe('PlanRoute', () => {
  const plan = { routeId: 'r-1', driverId: 'drv-1', depotId: 'd-north', date: '2026-11-27', parcelIds: ['p-1', 'p-2'] };

  it('plans a route and adds each parcel as a numbered stop, in the order given', () => {
    given(...world, ...atNorthDepot('p-1', 'p-2'))
      .when('PlanRoute', { ...plan, parcelIds: ['p-2', 'p-1'] })
      .then(
        event('route-r-1', 'RoutePlanned', { ...plan, parcelIds: ['p-2', 'p-1'], at: NOW }),
        addedToRoute('p-2', 'r-1', 1, NOW),
        addedToRoute('p-1', 'r-1', 2, NOW),
      );
  });

  it('a registered parcel can be planned from its origin depot without an arrival scan', () => {
    given(...world, parcelRegistered('p-1'))
      .when('PlanRoute', { ...plan, parcelIds: ['p-1'] })
      .then(event('route-r-1', 'RoutePlanned', { ...plan, parcelIds: ['p-1'], at: NOW }), addedToRoute('p-1', 'r-1', 1, NOW));
  });

  it('a parcel whose delivery failed can be planned on a new route from the same depot', () => {
    given(...world, ...onStartedRoute('r-1', 'p-1'), deliveryAttempted('p-1', 'r-1', 'failed', 'Nobody home'), stopClosed('r-1', 'p-1', 'failed'))
      .when('PlanRoute', { ...plan, routeId: 'r-2', parcelIds: ['p-1'] })
      .then(event('route-r-2', 'RoutePlanned', { ...plan, routeId: 'r-2', parcelIds: ['p-1'], at: NOW }), addedToRoute('p-1', 'r-2', 1, NOW));
  });

  it('refuses to plan a route id that is already planned', () => {
    given(...world, ...onPlannedRoute('r-1', 'p-1'), ...atNorthDepot('p-2'))
      .when('PlanRoute', { ...plan, parcelIds: ['p-2'] })
      .thenRejects('CONFLICT', { field: 'routeId', rule: 'route_exists' });
  });

  it('refuses an unknown driver', () => {
    given(...world, ...atNorthDepot('p-1', 'p-2'))
      .when('PlanRoute', { ...plan, driverId: 'drv-404' })
      .thenRejects('NOT_FOUND', { field: 'driverId', rule: 'driver_unknown' });
  });

  it('refuses an unknown depot', () => {
    given(...world, ...atNorthDepot('p-1', 'p-2'))
      .when('PlanRoute', { ...plan, depotId: 'd-nowhere' })
      .thenRejects('NOT_FOUND', { field: 'depotId', rule: 'depot_unknown' });
  });

  it('names the position of an unknown parcel in the list', () => {
    given(...world, ...atNorthDepot('p-1'))
      .when('PlanRoute', { ...plan, parcelIds: ['p-1', 'p-404'] })
      .thenRejects('NOT_FOUND', { field: 'parcelIds.1', rule: 'parcel_unknown' });
  });

  it('refuses a delivered parcel', () => {
    given(...world, ...onStartedRoute('r-0', 'p-1'), ...deliveredOn('r-0', 'p-1'), routeCompleted('r-0'), ...atNorthDepot('p-2'))
      .when('PlanRoute', plan)
      .thenRejects('RULE', { field: 'parcelIds.0', rule: 'parcel_delivered' });
  });

  it('refuses a parcel reported lost', () => {
    given(...world, ...atNorthDepot('p-1', 'p-2'), exceptionReported('p-2', 'lost'))
      .when('PlanRoute', plan)
      .thenRejects('RULE', { field: 'parcelIds.1', rule: 'parcel_lost' });
  });

  it('refuses a parcel that is already on another route', () => {
    given(...world, ...onPlannedRoute('r-0', 'p-1'), ...atNorthDepot('p-2'))
      .when('PlanRoute', plan)
      .thenRejects('RULE', { field: 'parcelIds.0', rule: 'parcel_on_route' });
  });

  it('refuses a parcel sitting at a different depot', () => {
    given(...world, ...atNorthDepot('p-1', 'p-2'), scanned('p-2', 'd-north', 'departed'), scanned('p-2', 'd-south', 'arrived'))
      .when('PlanRoute', plan)
      .thenRejects('RULE', { field: 'parcelIds.1', rule: 'parcel_not_at_depot' });
  });

  it('refuses a parcel that has departed and is in transit', () => {
    given(...world, ...atNorthDepot('p-1', 'p-2'), scanned('p-1', 'd-north', 'departed'))
      .when('PlanRoute', plan)
      .thenRejects('RULE', { field: 'parcelIds.0', rule: 'parcel_not_at_depot' });
  });
});

describe('StartRoute', () => {
  it('starts a planned route and sends every planned parcel out for delivery', () => {
    given(...world, ...onPlannedRoute('r-1', 'p-1', 'p-2'))
      .when('StartRoute', { routeId: 'r-1', at: AT })
      .then(
        event('route-r-1', 'RouteStarted', { routeId: 'r-1', driverId: 'drv-1', at: AT }),
        outForDelivery('p-1', 'r-1', AT),
        outForDelivery('p-2', 'r-1', AT),
      );
  });

  it('leaves a parcel reported lost after planning off the van', () => {
    given(...world, ...onPlannedRoute('r-1', 'p-1', 'p-2'), exceptionReported('p-1', 'lost'), stopClosed('r-1', 'p-1', 'failed'))
      .when('StartRoute', { routeId: 'r-1' })
      .then(event('route-r-1', 'RouteStarted', { routeId: 'r-1', driverId: 'drv-1', at: NOW }), outForDelivery('p-2', 'r-1', NOW));
  });

  it('refuses to start an unknown route', () => {
    given(...world).when('StartRoute', { routeId: 'r-404' }).thenRejects('NOT_FOUND', { field: 'routeId', rule: 'route_unknown' });
  });

  it('refuses to start a route twice', () => {
    given(...world, ...onStartedRoute('r-1', 'p-1'))
      .when('StartRoute', { routeId: 'r-1' })
      .thenRejects('RULE', { field: 'routeId', rule: 'route_started' });
  });

  it('refuses to start a route whose every stop closed before it started', () => {
    given(...world, ...onPlannedRoute('r-1', 'p-1'), exceptionReported('p-1', 'lost'), stopClosed('r-1', 'p-1', 'failed'), routeCompleted('r-1'))
      .when('StartRoute', { routeId: 'r-1' })
      .thenRejects('RULE', { field: 'routeId', rule: 'route_completed' });
  });
});

describe('RecordDeliveryAttempt', () => {
  const delivered = { parcelId: 'p-1', routeId: 'r-1', outcome: 'delivered' } as const;

  it('a delivery closes the parcel’s stop and leaves the route open while other stops remain', () => {
    given(...world, ...onStartedRoute('r-1', 'p-1', 'p-2'))
      .when('RecordDeliveryAttempt', { ...delivered, at: AT })
      .then(deliveryAttempted('p-1', 'r-1', 'delivered', null, AT), stopClosed('r-1', 'p-1', 'delivered', AT));
  });

  it('the attempt that closes the last open stop completes the route', () => {
    given(...world, ...onStartedRoute('r-1', 'p-1', 'p-2'), ...deliveredOn('r-1', 'p-2'))
      .when('RecordDeliveryAttempt', delivered)
      .then(deliveryAttempted('p-1', 'r-1', 'delivered', null, NOW), stopClosed('r-1', 'p-1', 'delivered', NOW), routeCompleted('r-1', NOW));
  });

  it('failed and lost stops count towards completing the route', () => {
    given(
      ...world,
      ...onStartedRoute('r-1', 'p-1', 'p-2', 'p-3'),
      deliveryAttempted('p-2', 'r-1', 'failed', 'Nobody home'),
      stopClosed('r-1', 'p-2', 'failed'),
      exceptionReported('p-3', 'lost'),
      stopClosed('r-1', 'p-3', 'failed'),
    )
      .when('RecordDeliveryAttempt', delivered)
      .then(deliveryAttempted('p-1', 'r-1', 'delivered', null, NOW), stopClosed('r-1', 'p-1', 'delivered', NOW), routeCompleted('r-1', NOW));
  });

  it('a failed attempt records its reason, trimmed', () => {
    given(...world, ...onStartedRoute('r-1', 'p-1', 'p-2'))
      .when('RecordDeliveryAttempt', { ...delivered, outcome: 'failed', reason: '  Nobody home ' })
      .then(deliveryAttempted('p-1', 'r-1', 'failed', 'Nobody home', NOW), stopClosed('r-1', 'p-1', 'failed', NOW));
  });

  it('a parcel on a started route can be delivered once', () => {
    given(...world, ...onStartedRoute('r-1', 'p-1', 'p-2'), ...deliveredOn('r-1', 'p-1'))
      .when('RecordDeliveryAttempt', delivered)
      .thenRejects('RULE', { field: 'parcelId', rule: 'parcel_delivered' });
  });

  it('refuses an attempt for an unknown parcel', () => {
    given(...world, ...onStartedRoute('r-1', 'p-1'))
      .when('RecordDeliveryAttempt', { ...delivered, parcelId: 'p-404' })
      .thenRejects('NOT_FOUND', { field: 'parcelId', rule: 'parcel_unknown' });
  });

  it('refuses an attempt on an unknown route', () => {
    given(...world, ...onStartedRoute('r-1', 'p-1'))
      .when('RecordDeliveryAttempt', { ...delivered, routeId: 'r-404' })
      .thenRejects('NOT_FOUND', { field: 'routeId', rule: 'route_unknown' });
  });

  it('refuses an attempt for a parcel reported lost', () => {
    given(...world, ...onStartedRoute('r-1', 'p-1', 'p-2'), exceptionReported('p-1', 'lost'), stopClosed('r-1', 'p-1', 'failed'))
      .when('RecordDeliveryAttempt', delivered)
      .thenRejects('RULE', { field: 'parcelId', rule: 'parcel_lost' });
  });

  it('refuses an attempt for a parcel on a different route', () => {
    given(...world, ...onStartedRoute('r-1', 'p-1'), ...onStartedRoute('r-2', 'p-2'))
      .when('RecordDeliveryAttempt', { ...delivered, parcelId: 'p-2' })
      .thenRejects('RULE', { field: 'routeId', rule: 'parcel_not_on_route' });
  });

  it('refuses a second attempt on the same route after a failed one', () => {
    given(...world, ...onStartedRoute('r-1', 'p-1', 'p-2'), deliveryAttempted('p-1', 'r-1', 'failed', 'Nobody home'), stopClosed('r-1', 'p-1', 'failed'))
      .when('RecordDeliveryAttempt', delivered)
      .thenRejects('RULE', { field: 'routeId', rule: 'parcel_not_on_route' });
  });

  it('refuses an attempt before the route has started', () => {
    given(...world, ...onPlannedRoute('r-1', 'p-1'))
      .when('RecordDeliveryAttempt', delivered)
      .thenRejects('RULE', { field: 'routeId', rule: 'route_not_started' });
  });

  it('refuses a failed attempt without a reason', () => {
    given(...world, ...onStartedRoute('r-1', 'p-1'))
      .when('RecordDeliveryAttempt', { ...delivered, outcome: 'failed' })
      .thenRejects('VALIDATION', { field: 'reason', rule: 'failure_needs_reason' });
  });

  it('treats a whitespace-only reason as no reason', () => {
    given(...world, ...onStartedRoute('r-1', 'p-1'))
      .when('RecordDeliveryAttempt', { ...delivered, outcome: 'failed', reason: '   ' })
      .thenRejects('VALIDATION', { field: 'reason', rule: 'failure_needs_reason' });
  });
});

describe('ReportException', () => {
  it('a damaged parcel is recorded without touching its route', () => {
    given(...world, ...onStartedRoute('r-1', 'p-1'))
      .when('ReportException', { parcelId: 'p-1', kind: 'damaged', at: AT })
      .then(exceptionReported('p-1', 'damaged', null, AT));
  });

  it('records an address problem with its note, trimmed', () => {
    given(...world, ...atNorthDepot('p-1'))
      .when('ReportException', { parcelId: 'p-1', kind: 'address_problem', note: ' No such street ' })
      .then(exceptionReported('p-1', 'address_problem', 'No such street', NOW));
  });

  it('a parcel lost off any route is only recorded as lost', () => {
    given(...world, ...atNorthDepot('p-1'))
      .when('ReportException', { parcelId: 'p-1', kind: 'lost' })
      .then(exceptionReported('p-1', 'lost', null, NOW));
  });

  it('a parcel lost on a route closes its stop as failed', () => {
    given(...world, ...onStartedRoute('r-1', 'p-1', 'p-2'))
      .when('ReportException', { parcelId: 'p-1', kind: 'lost' })
      .then(exceptionReported('p-1', 'lost', null, NOW), stopClosed('r-1', 'p-1', 'failed', NOW));
  });

  it('a parcel lost at the last open stop completes the route', () => {
    given(...world, ...onStartedRoute('r-1', 'p-1', 'p-2'), ...deliveredOn('r-1', 'p-2'))
      .when('ReportException', { parcelId: 'p-1', kind: 'lost', at: AT })
      .then(exceptionReported('p-1', 'lost', null, AT), stopClosed('r-1', 'p-1', 'failed', AT), routeCompleted('r-1', AT));
  });

  it('refuses an exception for an unknown parcel', () => {
    given(...world)
      .when('ReportException', { parcelId: 'p-404', kind: 'damaged' })
      .thenRejects('NOT_FOUND', { field: 'parcelId', rule: 'parcel_unknown' });
  });

  it('refuses an exception for a delivered parcel', () => {
    given(...world, ...onStartedRoute('r-1', 'p-1'), ...deliveredOn('r-1', 'p-1'), routeCompleted('r-1'))
      .when('ReportException', { parcelId: 'p-1', kind: 'damaged' })
      .thenRejects('RULE', { field: 'parcelId', rule: 'parcel_delivered' });
  });

  it('refuses to report a lost parcel lost again', () => {
    given(...world, ...atNorthDepot('p-1'), exceptionReported('p-1', 'lost'))
      .when('ReportException', { parcelId: 'p-1', kind: 'lost' })
      .thenRejects('RULE', { field: 'parcelId', rule: 'parcel_lost' });
  });
});

describe('RecordWeather', () => {
  it('records the weather on the region’s stream at the time given', () => {
    given()
      .when('RecordWeather', { region: 'north', condition: 'snow', at: AT })
      .then(event('region-north', 'WeatherRecorded', { region: 'north', condition: 'snow', at: AT }));
  });

  it('records the weather at the current time when none is given', () => {
    given(event('region-north', 'WeatherRecorded', { region: 'north', condition: 'snow', at: EARLIER }))
      .when('RecordWeather', { region: 'north', condition: 'clear' }, { now: '2026-11-28T12:00:00.000Z' })
      .then(event('region-north', 'WeatherRecorded', { region: 'north', condition: 'clear', at: '2026-11-28T12:00:00.000Z' }));
  });
});

describe('the decision view', () => {
  it('remembers the version of every stream a decision looked at, for a store with many writers to check at append', () => {
    const { view } = given(...world, ...onStartedRoute('r-1', 'p-1', 'p-2')).when('RecordDeliveryAttempt', {
      parcelId: 'p-1',
      routeId: 'r-1',
      outcome: 'delivered',
    });
    expect(Object.fromEntries(view?.seenVersions ?? [])).toEqual({ 'parcel-p-1': 4, 'route-r-1': 2 });
  });
});

describe('validation, before any rule', () => {
  const depot = { depotId: 'd-east', name: 'East Hub', region: 'east' };
  const parcel = { ...registerParcelPayload, parcelId: 'p-9', trackingCode: 'WB000009' };

  it('refuses an unknown command type', () => {
    given().whenRaw({ type: 'DeleteParcel', payload: { parcelId: 'p-1' } }).thenRejects('VALIDATION', { field: 'type' });
  });

  it('refuses a payload that is not an object', () => {
    given().whenRaw({ type: 'RegisterDepot', payload: null }).thenRejects('VALIDATION', { field: 'payload' });
  });

  it('names a missing field and says it is required', () => {
    const outcome = given().whenRaw({ type: 'RegisterDepot', payload: { depotId: 'd-east', name: 'East Hub' } });
    outcome.thenRejects('VALIDATION', { field: 'payload.region' });
    expect(outcome.decision).toMatchObject({ error: { message: 'payload.region is required.' } });
  });

  it('refuses a field of the wrong type', () => {
    given()
      .whenRaw({ type: 'RegisterDepot', payload: { ...depot, name: 42 } })
      .thenRejects('VALIDATION', { field: 'payload.name' });
  });

  it('refuses an unknown field and names it', () => {
    const outcome = given().whenRaw({ type: 'RegisterDepot', payload: { ...depot, manager: 'Bob' } });
    outcome.thenRejects('VALIDATION', { field: 'payload.manager' });
    expect(outcome.decision).toMatchObject({ error: { message: 'Unknown field: manager.' } });
  });

  it('refuses an unknown field in the envelope', () => {
    given()
      .whenRaw({ type: 'RegisterDepot', payload: depot, priority: 'high' })
      .thenRejects('VALIDATION', { field: 'priority' });
  });

  it('refuses a __proto__ key smuggled in through parsed JSON, in the payload and in nested objects', () => {
    const payload = `{"depotId":"d-east","name":"East Hub","region":"east","__proto__":{"isAdmin":true}}`;
    given()
      .whenRaw(JSON.parse(`{"type":"RegisterDepot","payload":${payload}}`))
      .thenRejects('VALIDATION', { field: 'payload.__proto__' });
    const nested = JSON.stringify({ type: 'RegisterParcel', payload: parcel }).replace('"postcode"', '"__proto__":{"isAdmin":true},"postcode"');
    given(...world)
      .whenRaw(JSON.parse(nested))
      .thenRejects('VALIDATION', { field: 'payload.recipient.__proto__' });
  });

  it('refuses a __proto__ key in the envelope', () => {
    given()
      .whenRaw(JSON.parse(`{"type":"RegisterDepot","payload":${JSON.stringify(depot)},"__proto__":{"isAdmin":true}}`))
      .thenRejects('VALIDATION', { field: '__proto__' });
  });

  it('refuses a string longer than its limit', () => {
    given()
      .when('RegisterDepot', { ...depot, name: 'x'.repeat(81) })
      .thenRejects('VALIDATION', { field: 'payload.name' });
  });

  it('refuses a whitespace-only name', () => {
    given()
      .when('RegisterDepot', { ...depot, name: '   ' })
      .thenRejects('VALIDATION', { field: 'payload.name' });
  });

  it('refuses an id with characters outside the allowed set', () => {
    given()
      .when('RegisterDepot', { ...depot, depotId: 'east hub' })
      .thenRejects('VALIDATION', { field: 'payload.depotId' });
  });

  it('refuses a tracking code that is not upper-case letters and digits', () => {
    given(...world)
      .when('RegisterParcel', { ...parcel, trackingCode: 'wb-0009' })
      .thenRejects('VALIDATION', { field: 'payload.trackingCode' });
  });

  it('refuses a negative weight', () => {
    given(...world)
      .when('RegisterParcel', { ...parcel, weightKg: -1 })
      .thenRejects('VALIDATION', { field: 'payload.weightKg' });
  });

  it('refuses a recipient postcode outside the allowed shape', () => {
    given(...world)
      .when('RegisterParcel', { ...parcel, recipient: { ...recipient, postcode: 'SW1Y/4JH' } })
      .thenRejects('VALIDATION', { field: 'payload.recipient.postcode' });
  });

  it('refuses a route that lists a parcel twice', () => {
    given(...world, ...atNorthDepot('p-1'))
      .when('PlanRoute', { routeId: 'r-1', driverId: 'drv-1', depotId: 'd-north', date: '2026-11-27', parcelIds: ['p-1', 'p-1'] })
      .thenRejects('VALIDATION', { field: 'payload.parcelIds' });
  });

  it('refuses a route without parcels', () => {
    given(...world)
      .when('PlanRoute', { routeId: 'r-1', driverId: 'drv-1', depotId: 'd-north', date: '2026-11-27', parcelIds: [] })
      .thenRejects('VALIDATION', { field: 'payload.parcelIds' });
  });

  it('refuses a route date that is not a calendar date', () => {
    given(...world, ...atNorthDepot('p-1'))
      .when('PlanRoute', { routeId: 'r-1', driverId: 'drv-1', depotId: 'd-north', date: '27/11/2026', parcelIds: ['p-1'] })
      .thenRejects('VALIDATION', { field: 'payload.date' });
  });

  it('refuses a time without an ISO 8601 shape', () => {
    given(...world, ...onPlannedRoute('r-1', 'p-1'))
      .when('StartRoute', { routeId: 'r-1', at: 'tomorrow morning' })
      .thenRejects('VALIDATION', { field: 'payload.at' });
  });

  it('refuses a region name that is not lower-case', () => {
    given()
      .when('RecordWeather', { region: 'North', condition: 'rain' })
      .thenRejects('VALIDATION', { field: 'payload.region' });
  });
});

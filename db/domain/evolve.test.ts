import { describe, expect, it } from 'vitest';
import { evolveDepot, evolveDriver, initialDepot, initialDriver } from './depot.ts';
import { event, type DomainEvent } from './events.ts';
import { evolveParcel, initialParcel, type ParcelState } from './parcel.ts';
import { evolveRoute, initialRoute } from './route.ts';

const AT = '2026-11-27T08:00:00.000Z';
const fold = <S>(evolve: (state: S, event: DomainEvent) => S, initial: S, ...events: DomainEvent[]): S => events.reduce(evolve, initial);

const registered = event('parcel-p-1', 'ParcelRegistered', {
  parcelId: 'p-1',
  trackingCode: 'WB000001',
  recipient: { name: 'Ada Lovelace', street: '12 St James Square', city: 'London', postcode: 'SW1Y 4JH' },
  originDepotId: 'd-north',
  destinationDepotId: 'd-south',
  weightKg: 2.5,
  description: null,
  promisedBy: null,
  at: AT,
});
const scanned = (depotId: string, kind: 'arrived' | 'departed') => event('parcel-p-1', 'ParcelScanned', { parcelId: 'p-1', depotId, kind, at: AT });
const addedTo = (routeId: string) =>
  event('parcel-p-1', 'ParcelAddedToRoute', { parcelId: 'p-1', routeId, driverId: 'drv-1', depotId: 'd-north', stop: 1, at: AT });
const outForDelivery = (routeId: string) => event('parcel-p-1', 'ParcelOutForDelivery', { parcelId: 'p-1', routeId, driverId: 'drv-1', at: AT });
const attempted = (routeId: string, outcome: 'delivered' | 'failed') =>
  event('parcel-p-1', 'DeliveryAttempted', { parcelId: 'p-1', routeId, driverId: 'drv-1', outcome, reason: outcome === 'failed' ? 'Nobody home' : null, at: AT });
const exception = (kind: 'damaged' | 'lost' | 'address_problem') => event('parcel-p-1', 'ExceptionReported', { parcelId: 'p-1', kind, note: null, at: AT });
const parcel = (...events: DomainEvent[]): ParcelState => fold(evolveParcel, initialParcel, registered, ...events);

describe('parcel state', () => {
  it('does not exist until it is registered', () => {
    expect(initialParcel).toMatchObject({ exists: false, status: null, attempts: 0 });
  });

  it('a registered parcel sits at its origin depot', () => {
    expect(parcel()).toEqual({
      exists: true,
      trackingCode: 'WB000001',
      status: 'registered',
      originDepotId: 'd-north',
      destinationDepotId: 'd-south',
      currentDepotId: 'd-north',
      routeId: null,
      attempts: 0,
      registeredAt: AT,
    });
  });

  it('an arrival scan puts the parcel at that depot', () => {
    expect(parcel(scanned('d-south', 'arrived'))).toMatchObject({ status: 'at_depot', currentDepotId: 'd-south' });
  });

  it('a departure scan puts the parcel in transit, at no depot', () => {
    expect(parcel(scanned('d-north', 'arrived'), scanned('d-north', 'departed'))).toMatchObject({ status: 'in_transit', currentDepotId: null });
  });

  it('a parcel added to a route is planned on it and stays at its depot', () => {
    expect(parcel(scanned('d-north', 'arrived'), addedTo('r-1'))).toMatchObject({ status: 'planned', routeId: 'r-1', currentDepotId: 'd-north' });
  });

  it('a parcel on a started route is out for delivery', () => {
    expect(parcel(addedTo('r-1'), outForDelivery('r-1'))).toMatchObject({ status: 'out_for_delivery', routeId: 'r-1' });
  });

  it('a delivered parcel leaves its route and its depot and counts the attempt', () => {
    expect(parcel(addedTo('r-1'), outForDelivery('r-1'), attempted('r-1', 'delivered'))).toMatchObject({
      status: 'delivered',
      routeId: null,
      currentDepotId: null,
      attempts: 1,
    });
  });

  it('a failed attempt takes the parcel off its route, back to its depot, and counts the attempt', () => {
    expect(parcel(addedTo('r-1'), outForDelivery('r-1'), attempted('r-1', 'failed'))).toMatchObject({
      status: 'attempt_failed',
      routeId: null,
      currentDepotId: 'd-north',
      attempts: 1,
    });
  });

  it('counts every attempt across routes', () => {
    const state = parcel(addedTo('r-1'), attempted('r-1', 'failed'), addedTo('r-2'), attempted('r-2', 'failed'), addedTo('r-3'), attempted('r-3', 'delivered'));
    expect(state).toMatchObject({ status: 'delivered', attempts: 3 });
  });

  it('a lost parcel leaves its route', () => {
    expect(parcel(addedTo('r-1'), exception('lost'))).toMatchObject({ status: 'lost', routeId: null });
  });

  it('damage and address problems do not change where the parcel is or what it is doing', () => {
    const before = parcel(addedTo('r-1'));
    expect(evolveParcel(before, exception('damaged'))).toEqual(before);
    expect(evolveParcel(before, exception('address_problem'))).toEqual(before);
  });

  it('ignores events it has no part in', () => {
    const before = parcel(scanned('d-north', 'arrived'));
    expect(evolveParcel(before, event('route-r-1', 'RouteStarted', { routeId: 'r-1', driverId: 'drv-1', at: AT }))).toBe(before);
    expect(evolveParcel(before, event('region-north', 'WeatherRecorded', { region: 'north', condition: 'rain', at: AT }))).toBe(before);
  });

  it('never changes the state it is given', () => {
    const before = parcel(scanned('d-north', 'arrived'));
    const copy = structuredClone(before);
    evolveParcel(before, addedTo('r-1'));
    expect(before).toEqual(copy);
  });
});

describe('route state', () => {
  const planned = event('route-r-1', 'RoutePlanned', {
    routeId: 'r-1',
    driverId: 'drv-1',
    depotId: 'd-north',
    date: '2026-11-27',
    parcelIds: ['p-1', 'p-2', 'p-3'],
    at: AT,
  });
  const started = event('route-r-1', 'RouteStarted', { routeId: 'r-1', driverId: 'drv-1', at: AT });
  const closed = (parcelId: string, outcome: 'delivered' | 'failed') => event('route-r-1', 'RouteStopClosed', { routeId: 'r-1', parcelId, outcome, at: AT });
  const completed = event('route-r-1', 'RouteCompleted', { routeId: 'r-1', driverId: 'drv-1', at: AT });
  const route = (...events: DomainEvent[]) => fold(evolveRoute, initialRoute, planned, ...events);

  it('a planned route knows its driver, depot and stops, and has not started', () => {
    expect(route()).toEqual({
      exists: true,
      driverId: 'drv-1',
      depotId: 'd-north',
      parcelIds: ['p-1', 'p-2', 'p-3'],
      started: false,
      completed: false,
      closedStops: 0,
    });
  });

  it('a started route is started but not completed', () => {
    expect(route(started)).toMatchObject({ started: true, completed: false });
  });

  it('counts closed stops whatever their outcome', () => {
    expect(route(started, closed('p-1', 'delivered'), closed('p-2', 'failed'))).toMatchObject({ closedStops: 2, completed: false });
  });

  it('a completed route keeps its count of closed stops', () => {
    expect(route(started, closed('p-1', 'delivered'), closed('p-2', 'failed'), closed('p-3', 'delivered'), completed)).toMatchObject({
      started: true,
      completed: true,
      closedStops: 3,
    });
  });

  it('ignores parcel events', () => {
    const before = route(started);
    expect(evolveRoute(before, outForDelivery('r-1'))).toBe(before);
  });
});

describe('depot and driver state', () => {
  const depotRegistered = event('depot-d-north', 'DepotRegistered', { depotId: 'd-north', name: 'North Hub', region: 'north', at: AT });
  const driverRegistered = event('driver-drv-1', 'DriverRegistered', { driverId: 'drv-1', name: 'Grace Hopper', homeDepotId: 'd-north', at: AT });

  it('a depot does not exist until it is registered', () => {
    expect(initialDepot).toEqual({ exists: false, name: null, region: null });
  });

  it('a registered depot has its name and region', () => {
    expect(evolveDepot(initialDepot, depotRegistered)).toEqual({ exists: true, name: 'North Hub', region: 'north' });
  });

  it('a depot ignores events other than its registration', () => {
    expect(evolveDepot(initialDepot, driverRegistered)).toBe(initialDepot);
  });

  it('a driver does not exist until registered, then has a name and a home depot', () => {
    expect(initialDriver).toEqual({ exists: false, name: null, homeDepotId: null });
    expect(evolveDriver(initialDriver, driverRegistered)).toEqual({ exists: true, name: 'Grace Hopper', homeDepotId: 'd-north' });
  });

  it('a driver ignores events other than its registration', () => {
    expect(evolveDriver(initialDriver, depotRegistered)).toBe(initialDriver);
  });
});

import { describe, expect, it } from 'vitest';
import { formatRoute, links, parseHash } from './route.ts';

describe('hash routes', () => {
  it('read a parcel deep link', () => {
    expect(parseHash('#/parcel/P-1')).toEqual({ screen: 'parcel', id: 'P-1', query: {} });
  });

  it('read filters from the query part', () => {
    expect(parseHash('#/events?correlationId=abc&type=ParcelScanned')).toEqual({ screen: 'events', query: { correlationId: 'abc', type: 'ParcelScanned' } });
  });

  it('fall back to the overview for an unknown or empty hash', () => {
    expect(parseHash('').screen).toBe('overview');
    expect(parseHash('#/nowhere').screen).toBe('overview');
  });

  it('round-trip through formatRoute, leaving out empty filters', () => {
    const hash = formatRoute({ screen: 'parcels', query: { status: 'delivered', search: '', depotId: undefined } });
    expect(hash).toBe('#/parcels?status=delivered');
    expect(parseHash(hash)).toEqual({ screen: 'parcels', query: { status: 'delivered' } });
  });

  it('encode ids and values that need it', () => {
    expect(links.parcel('a/b')).toBe('#/parcel/a%2Fb');
    expect(parseHash(links.parcel('a/b')).id).toBe('a/b');
    expect(parseHash(links.correlation('x y')).query.correlationId).toBe('x y');
  });
});

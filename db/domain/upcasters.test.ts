import { describe, expect, it } from 'vitest';
import { commandPayloadSchemas, recipientSchema } from '../contract/index.ts';
import type { DomainEvents } from './events.ts';
import { upcasters, type ParcelRegisteredV1 } from './upcasters.ts';

const v1: ParcelRegisteredV1 = {
  parcelId: 'p-1',
  trackingCode: 'WB000001',
  recipientName: 'Ada Lovelace',
  recipientStreet: '12 St James Square',
  recipientCity: 'London',
  recipientPostcode: 'SW1Y 4JH',
  originDepotId: 'd-north',
  destinationDepotId: 'd-south',
  weightGrams: 2500,
  at: '2025-03-01T09:00:00.000Z',
};
const stored = (payload: object) => JSON.parse(JSON.stringify(payload)) as Record<string, unknown>;

describe('ParcelRegistered upcasting', () => {
  it('a v1 payload becomes the v2 shape: nested recipient, weight in kg, no description or promise', () => {
    const expected: DomainEvents['ParcelRegistered'] = {
      parcelId: 'p-1',
      trackingCode: 'WB000001',
      recipient: { name: 'Ada Lovelace', street: '12 St James Square', city: 'London', postcode: 'SW1Y 4JH' },
      originDepotId: 'd-north',
      destinationDepotId: 'd-south',
      weightKg: 2.5,
      description: null,
      promisedBy: null,
      at: '2025-03-01T09:00:00.000Z',
    };
    expect(upcasters.upcast('ParcelRegistered', 1, stored(v1))).toEqual(expected);
  });

  it('an upcast recipient and weight pass today’s command rules', () => {
    const upcast = upcasters.upcast('ParcelRegistered', 1, stored(v1));
    expect(recipientSchema.safeParse(upcast.recipient).success).toBe(true);
    expect(commandPayloadSchemas.RegisterParcel.shape.weightKg.safeParse(upcast.weightKg).success).toBe(true);
  });

  it('leaves the stored payload as it was', () => {
    const payload = stored(v1);
    upcasters.upcast('ParcelRegistered', 1, payload);
    expect(payload).toEqual(stored(v1));
  });

  it('passes a payload already at the current version through untouched', () => {
    const v2 = stored({ ...v1, recipient: {}, weightKg: 2.5 });
    expect(upcasters.upcast('ParcelRegistered', 2, v2)).toBe(v2);
  });

  it('refuses a payload from a schema version newer than this build knows', () => {
    expect(() => upcasters.upcast('ParcelRegistered', 3, stored(v1))).toThrow(/schema version 3, newer than this build knows \(2\)/);
    expect(() => upcasters.upcast('DepotRegistered', 2, stored({ depotId: 'd-north' }))).toThrow(/newer than this build knows \(1\)/);
  });

  it('refuses a version it has no upcaster for', () => {
    expect(() => upcasters.upcast('ParcelRegistered', 0, stored(v1))).toThrow(/No upcaster for ParcelRegistered from schema version 0/);
  });

  it('every other event type is read as written', () => {
    expect(upcasters.currentVersion('DepotRegistered')).toBe(1);
    const payload = stored({ depotId: 'd-north', name: 'North Hub', region: 'north', at: v1.at });
    expect(upcasters.upcast('DepotRegistered', 1, payload)).toBe(payload);
  });
});

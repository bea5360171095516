import { UpcasterRegistry } from './upcasting.ts';
import { currentSchemaVersion } from './events.ts';

/** ParcelRegistered v1 kept the recipient flat and the weight in grams. */
export interface ParcelRegisteredV1 {
  parcelId: string;
  trackingCode: string;
  recipientName: string;
  recipientStreet: string;
  recipientCity: string;
  recipientPostcode: string;
  originDepotId: string;
  destinationDepotId: string;
  weightGrams: number;
  at: string;
}

export const upcasters = new UpcasterRegistry(currentSchemaVersion).register('ParcelRegistered', 1, (v1) => {
  const old = v1 as unknown as ParcelRegisteredV1;
  return {
    parcelId: old.parcelId,
    trackingCode: old.trackingCode,
    recipient: { name: old.recipientName, street: old.recipientStreet, city: old.recipientCity, postcode: old.recipientPostcode },
    originDepotId: old.originDepotId,
    destinationDepotId: old.destinationDepotId,
    weightKg: old.weightGrams / 1000,
    description: null,
    promisedBy: null,
    at: old.at,
  };
});

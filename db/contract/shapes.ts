// Identifiers, small shapes and the names every layer shares. Renderer-safe: zod only.
import { z } from 'zod';

export const id = z
  .string()
  .min(1, 'must not be empty')
  .max(64, 'must be at most 64 characters')
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]*$/, 'may use letters, digits, _ . : - and must start with a letter or digit');
export const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);
export const optionalText = (max: number) => z.string().trim().max(max, `must be at most ${max} characters`).optional();
export const isoTime = z.iso.datetime({ offset: true, message: 'must be an ISO 8601 time such as 2026-11-27T09:30:00Z' });
export const isoDate = z.iso.date('must be a date such as 2026-11-27');
export const position = z.number().int().min(0);
export const count = z.number().int().min(0);
export const regionName = z
  .string()
  .min(1, 'must not be empty')
  .max(40, 'must be at most 40 characters')
  .regex(/^[a-z][a-z0-9-]*$/, 'must be lower-case letters, digits and dashes, starting with a letter');

export const parcelStatuses = ['registered', 'in_transit', 'at_depot', 'planned', 'out_for_delivery', 'attempt_failed', 'delivered', 'lost'] as const;
export type ParcelStatus = (typeof parcelStatuses)[number];
export const scanKinds = ['arrived', 'departed'] as const;
export const deliveryOutcomes = ['delivered', 'failed'] as const;
export const exceptionKinds = ['damaged', 'lost', 'address_problem'] as const;
export const weatherConditions = ['clear', 'rain', 'snow', 'storm', 'heat'] as const;
export type WeatherCondition = (typeof weatherConditions)[number];

/** Every event type the core records (their payloads are declared in db/domain/events.ts). */
export const eventTypeNames = [
  'DepotRegistered',
  'DriverRegistered',
  'ParcelRegistered',
  'ParcelScanned',
  'RoutePlanned',
  'ParcelAddedToRoute',
  'RouteStarted',
  'ParcelOutForDelivery',
  'DeliveryAttempted',
  'RouteStopClosed',
  'RouteCompleted',
  'ExceptionReported',
  'WeatherRecorded',
  'ConflictResolved',
] as const;
export type EventTypeName = (typeof eventTypeNames)[number];

export const readModelNames = ['parcel_summary', 'parcel_timeline', 'route_board', 'depot_board', 'eta_stats', 'event_history', 'conflicts'] as const;

/** Rules the shared order can break when laptops record offline: each breach is a conflict, kept and shown until a person resolves it. */
export const conflictKinds = ['parcel_registered_twice', 'tracking_code_taken', 'delivered_and_lost', 'scan_after_delivery'] as const;
/** How a person resolves a conflict: what the screens show is right, or they recorded a correcting command and this closes it. */
export const conflictOutcomes = ['confirmed', 'corrected'] as const;
export type ConflictOutcome = (typeof conflictOutcomes)[number];
export type ConflictKind = (typeof conflictKinds)[number];
export type ReadModelName = (typeof readModelNames)[number];

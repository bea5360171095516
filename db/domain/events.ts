// Every event the domain records, in its current schema version. Older versions are upcast
// on read (see upcasters.ts); stored bytes never change.
import { eventTypeNames, type ConflictOutcome, type EventTypeName, type Recipient, type WeatherCondition } from '../contract/index.ts';

export interface DomainEvents {
  DepotRegistered: { depotId: string; name: string; region: string; at: string };
  DriverRegistered: { driverId: string; name: string; homeDepotId: string; at: string };
  ParcelRegistered: {
    parcelId: string;
    trackingCode: string;
    recipient: Recipient;
    originDepotId: string;
    destinationDepotId: string;
    weightKg: number;
    description: string | null;
    promisedBy: string | null;
    at: string;
  };
  ParcelScanned: { parcelId: string; depotId: string; kind: 'arrived' | 'departed'; at: string };
  RoutePlanned: { routeId: string; driverId: string; depotId: string; date: string; parcelIds: string[]; at: string };
  ParcelAddedToRoute: { parcelId: string; routeId: string; driverId: string; depotId: string; stop: number; at: string };
  RouteStarted: { routeId: string; driverId: string; at: string };
  ParcelOutForDelivery: { parcelId: string; routeId: string; driverId: string; at: string };
  DeliveryAttempted: { parcelId: string; routeId: string; driverId: string; outcome: 'delivered' | 'failed'; reason: string | null; at: string };
  RouteStopClosed: { routeId: string; parcelId: string; outcome: 'delivered' | 'failed'; at: string };
  RouteCompleted: { routeId: string; driverId: string; at: string };
  ExceptionReported: { parcelId: string; kind: 'damaged' | 'lost' | 'address_problem'; note: string | null; at: string };
  WeatherRecorded: { region: string; condition: WeatherCondition; at: string };
  /** A person closed a sync conflict (the conflicts read model names it by the breaking event's id). */
  ConflictResolved: { conflictId: string; outcome: ConflictOutcome; note: string | null; at: string };
}
export type EventType = keyof DomainEvents;
/** The names live in the contract (the renderer needs them); this checks they match the payloads here. */
export const eventTypes: readonly EventType[] = eventTypeNames satisfies readonly EventType[];
type _EveryEventTypeNamed = Exclude<EventType, EventTypeName> extends never ? true : never;
export const everyEventTypeNamed: _EveryEventTypeNamed = true;

/** The schema version each event type is written with today. */
export const currentSchemaVersion: Record<EventType, number> = {
  DepotRegistered: 1,
  DriverRegistered: 1,
  ParcelRegistered: 2,
  ParcelScanned: 1,
  RoutePlanned: 1,
  ParcelAddedToRoute: 1,
  RouteStarted: 1,
  ParcelOutForDelivery: 1,
  DeliveryAttempted: 1,
  RouteStopClosed: 1,
  RouteCompleted: 1,
  ExceptionReported: 1,
  WeatherRecorded: 1,
  ConflictResolved: 1,
};

/** An event the domain decided on, before the log gives it a position. */
export type DomainEvent = { [T in EventType]: { streamId: string; type: T; payload: DomainEvents[T] } }[EventType];

/** An event as read back from the log, upcast to its current shape. */
export type StoredEvent = {
  [T in EventType]: {
    position: number;
    eventId: string;
    streamId: string;
    version: number;
    type: T;
    schemaVersion: number;
    payload: DomainEvents[T];
    metadata: EventMetadata;
    recordedAt: string;
    /** The stored payload JSON, when it needed no upcasting. */
    payloadText?: string | undefined;
  };
}[EventType];

export interface EventMetadata {
  commandId: string;
  correlationId: string;
  causationId: string;
  actor: string | null;
  deviceId: string | null;
  recordedAt: string;
}

export const streamIds = {
  depot: (id: string) => `depot-${id}`,
  driver: (id: string) => `driver-${id}`,
  parcel: (id: string) => `parcel-${id}`,
  route: (id: string) => `route-${id}`,
  region: (name: string) => `region-${name}`,
  conflict: (id: string) => `conflict-${id}`,
};

export function event<T extends EventType>(streamId: string, type: T, payload: DomainEvents[T]): DomainEvent {
  return { streamId, type, payload } as DomainEvent;
}

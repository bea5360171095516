import type { DomainEvent } from '../domain/events.ts';
import { reservationsOf } from '../domain/reservations.ts';
import { upcasters } from '../domain/upcasters.ts';
import type { AppendRequest, NewEvent, RecordedElsewhere } from '../log/eventLogWriter.ts';

/** An event another log recorded (an export's line, or one pulled from the sync server). */
export interface ForeignEvent {
  eventId: string;
  streamId: string;
  type: string;
  schemaVersion: number;
  recordedAt: string;
  payload: Record<string, unknown>;
  metadata: Record<string, unknown>;
  /** Pulled events keep their origin, time and bytes; imported ones are recorded again here. */
  recordedElsewhere?: RecordedElsewhere;
}

/** Consecutive events of one command (they share its id), as the other log appended them. */
export function commandsOf<T extends ForeignEvent>(events: readonly T[]): T[][] {
  const groups: T[][] = [];
  for (const event of events) {
    const last = groups.at(-1);
    if (last && event.metadata.commandId !== undefined && last[0]!.metadata.commandId === event.metadata.commandId) last.push(event);
    else groups.push([event]);
  }
  return groups;
}

/**
 * One command's events recorded elsewhere as a request to the one append path: each stream at
 * its own next version here, the tracking codes they claim reserved unless another parcel
 * already holds one here (that one keeps it).
 */
export function recordedElsewhereRequest(newId: () => string, commandType: string, events: readonly ForeignEvent[]): AppendRequest {
  const { recordedAt: _theirs, ...metadata } = events[0]!.metadata;
  // A command id this log already used (a hand-picked --id on two laptops) gets a fresh one; the metadata keeps theirs.
  const given = typeof metadata.commandId === 'string' ? metadata.commandId : newId();
  const newEvents: NewEvent[] = events.map((e) => ({
    streamId: e.streamId,
    type: e.type,
    schemaVersion: e.schemaVersion,
    payload: e.payload,
    eventId: e.eventId,
    ...(e.recordedElsewhere ? { recordedElsewhere: e.recordedElsewhere } : {}),
  }));
  const domainEvents = events.map((e) => ({ streamId: e.streamId, type: e.type, payload: upcasters.upcast(e.type, e.schemaVersion, e.payload) }) as DomainEvent);
  const { correlationId, ...uncorrelated } = metadata;
  return {
    commandId: given,
    commandIdTaken: 'fresh',
    commandType,
    events: newEvents,
    // Without a correlation id of its own, the command id it is stored under is its correlation id.
    metadata: typeof correlationId === 'string' ? metadata : uncorrelated,
    recordedAt: events[0]!.recordedAt,
    newEventId: newId,
    // Payloads are taken as they are (a malformed one is for the projectors to park): only a key an event names is reserved.
    reservations: reservationsOf(domainEvents).filter((r) => typeof r.key === 'string' && typeof r.owner === 'string'),
    reservationConflict: 'keep-first',
  };
}

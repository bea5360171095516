import type { CommandPayload, CommandType, ErrorCode, WaybillErrorBody } from '../../contract/index.ts';
import type { DomainEvent } from '../events.ts';
import { reservationsOf, type Reservation } from '../reservations.ts';
import type { DecisionView } from '../view.ts';

/** Accepted: the events to append and the keys they reserve; or rejected with a typed error. */
export type Decision = { ok: true; events: DomainEvent[]; reservations: Reservation[] } | { ok: false; error: WaybillErrorBody };

export type Decider<T extends CommandType> = (command: CommandPayload<T>, view: DecisionView) => Decision;

export const accept = (...events: DomainEvent[]): Decision => ({ ok: true, events, reservations: reservationsOf(events) });

export function reject(code: ErrorCode, message: string, where: { field?: string; rule?: string } = {}): Decision {
  return { ok: false, error: { code, message, ...where } };
}

/** The stream a command is mainly about: the one `expectedVersion` refers to. */
export function mainStreamOf(type: CommandType, payload: Record<string, unknown>): string {
  switch (type) {
    case 'RegisterDepot':
      return `depot-${String(payload.depotId)}`;
    case 'RegisterDriver':
      return `driver-${String(payload.driverId)}`;
    case 'PlanRoute':
    case 'StartRoute':
      return `route-${String(payload.routeId)}`;
    case 'RecordWeather':
      return `region-${String(payload.region)}`;
    case 'ResolveConflict':
      return `conflict-${String(payload.conflictId)}`;
    default:
      return `parcel-${String(payload.parcelId)}`;
  }
}

// Makes a real projection's handler throw for chosen events, in this process (the inline engine),
// the way a bug in a handler would. Removing an event from `poisoned` is the fix.
import type { StoredEvent } from '../../../db/domain/events.ts';
import { asBatchedHandler, type Projection } from '../../../db/readmodel/projection.ts';

export interface InjectedFault {
  /** Predicates of the events whose handler throws while they are listed. */
  poisoned: Set<(event: StoredEvent) => boolean>;
  /** How often the handler was called for an event that was poisoned at the time, by event id. */
  calls: Map<string, number>;
  restore(): void;
}

export function injectFault(projection: Projection): InjectedFault {
  const original = projection.prepare;
  const fault: InjectedFault = {
    poisoned: new Set(),
    calls: new Map(),
    restore: () => {
      projection.prepare = original;
    },
  };
  projection.prepare = (db) => {
    const handler = asBatchedHandler(original.call(projection, db));
    return {
      ...handler,
      apply: (event) => {
        if ([...fault.poisoned].some((matches) => matches(event))) {
          fault.calls.set(event.eventId, (fault.calls.get(event.eventId) ?? 0) + 1);
          throw new Error(`injected fault on ${event.type} at position ${event.position}`);
        }
        handler.apply(event);
      },
    };
  };
  return fault;
}

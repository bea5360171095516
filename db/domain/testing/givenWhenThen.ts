// Specification helper for deciders, Emmett style: given past events, when a command arrives,
// then these events are decided (or the command is rejected with this code and rule).
import { expect } from 'vitest';
import type { z } from 'zod';
import { commandRequestSchema, issueToError, type commandPayloadSchemas, type CommandType, type ErrorCode } from '../../contract/index.ts';
import { deciders, type Decision } from '../decide/index.ts';
import type { Decider } from '../decide/decision.ts';
import type { DomainEvent } from '../events.ts';
import { reservationsOf } from '../reservations.ts';
import { createDecisionView, type DecisionView, type LoadedStream } from '../view.ts';

/** The clock every spec runs at unless it says otherwise. */
export const NOW = '2026-11-27T08:00:00.000Z';

export type PayloadInput<T extends CommandType> = z.input<(typeof commandPayloadSchemas)[T]>;

export interface Outcome {
  /** The decision as made, for assertions the helpers below do not cover. */
  readonly decision: Decision;
  /** The view the decider looked at (null when validation rejected the command first). */
  readonly view: DecisionView | null;
  /** Asserts the command was accepted and decided exactly these events, in this order. */
  then(...expected: DomainEvent[]): void;
  /** Asserts the command was rejected with this code, and exactly this field and rule. */
  thenRejects(code: ErrorCode, where?: { field?: string; rule?: string }): void;
}

export interface Given {
  /** Sends a typed command through validation and its decider. */
  when<T extends CommandType>(type: T, payload: PayloadInput<T>, options?: { now?: string }): Outcome;
  /** Sends any input (as a caller would, e.g. parsed JSON) through validation and its decider. */
  whenRaw(input: unknown, options?: { now?: string }): Outcome;
}

function inMemoryView(history: readonly DomainEvent[], now: string): DecisionView {
  const owners = new Map<string, string>();
  for (const past of history) {
    for (const reservation of reservationsOf([past])) owners.set(`${reservation.kind}:${reservation.key}`, reservation.owner);
  }
  return createDecisionView({
    now,
    readStream: (streamId): LoadedStream => {
      const events = history.filter((past) => past.streamId === streamId);
      return { version: events.length, events };
    },
    reservationOwner: (kind, key) => owners.get(`${kind}:${key}`) ?? null,
  });
}

function outcomeOf(decision: Decision, view: DecisionView | null): Outcome {
  return {
    decision,
    view,
    then(...expected) {
      expect(decision).toEqual({ ok: true, events: expected, reservations: reservationsOf(expected) });
    },
    thenRejects(code, where = {}) {
      expect(decision).toEqual({ ok: false, error: { code, message: expect.stringMatching(/\S/), ...where } });
    },
  };
}

function decideRaw(history: readonly DomainEvent[], input: unknown, now: string): Outcome {
  // Validated as the core's boundary validates a command: the same schema, the same formatter.
  const parsed = commandRequestSchema.safeParse(input);
  if (!parsed.success) return outcomeOf({ ok: false, error: issueToError(parsed.error, input) }, null);
  const command = parsed.data;
  const view = inMemoryView(history, now);
  const decide = deciders[command.type] as Decider<typeof command.type>;
  return outcomeOf(decide(command.payload as never, view), view);
}

export function given(...history: DomainEvent[]): Given {
  return {
    when: (type, payload, options = {}) => decideRaw(history, { type, payload }, options.now ?? NOW),
    whenRaw: (input, options = {}) => decideRaw(history, input, options.now ?? NOW),
  };
}

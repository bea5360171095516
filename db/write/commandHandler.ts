import type Database from 'better-sqlite3';
import type { CommandResult, ValidCommandRequest, WaybillErrorBody } from '../contract/index.ts';
import { deciders, mainStreamOf } from '../domain/decide/index.ts';
import type { Decider } from '../domain/decide/decision.ts';
import { currentSchemaVersion, type DomainEvent, type EventType } from '../domain/events.ts';
import { upcasters } from '../domain/upcasters.ts';
import { createDecisionView, type LoadedStream } from '../domain/view.ts';
import { toErrorBody, WaybillError } from '../contract/waybillError.ts';
import { EventLogWriter } from '../log/eventLogWriter.ts';
import { createUuidV7Generator } from '../log/uuidv7.ts';

export interface CommandHandlerOptions {
  /** Current time as an ISO string; tests and the seeder pass their own clock. */
  now?: () => string;
  newId?: () => string;
}

/** Who recorded a command and on which device: the session's, stamped by the host, never the caller's. */
export interface CommandOrigin {
  actor: string | null;
  deviceId: string | null;
}

/** A rule's field names the payload's field; at the boundary, fields are paths from the request's root. */
function fromTheRequestRoot(error: WaybillErrorBody): WaybillErrorBody {
  if (error.field === undefined || error.field === 'expectedVersion') return error;
  return { ...error, field: `payload.${error.field}` };
}

/**
 * decide → append, in one IMMEDIATE transaction per command, for commands already validated at the
 * core's boundary. A repeated command id returns the first result and appends nothing; a rejection
 * appends nothing.
 */
export class CommandHandler {
  readonly log: EventLogWriter;
  private readonly now: () => string;
  private readonly newId: () => string;

  constructor(
    db: Database.Database,
    options: CommandHandlerOptions = {},
  ) {
    this.log = new EventLogWriter(db, upcasters);
    this.now = options.now ?? (() => new Date().toISOString());
    this.newId = options.newId ?? createUuidV7Generator();
  }

  handle(request: ValidCommandRequest, origin: CommandOrigin): CommandResult {
    try {
      return this.log.transaction(() => this.handleInTransaction(request, origin));
    } catch (error) {
      return { ok: false, error: toErrorBody(error) };
    }
  }

  /**
   * Many commands in one transaction (seeding); stops at the first rejection, which rolls back all.
   * `beforeEach` runs before each command is decided (the seeder moves its clock there).
   */
  handleAll(commands: readonly { request: ValidCommandRequest; origin: CommandOrigin }[], beforeEach?: (index: number) => void): CommandResult[] {
    try {
      return this.log.transaction(() =>
        commands.map(({ request, origin }, index) => {
          beforeEach?.(index);
          const result = this.handleInTransaction(request, origin);
          if (!result.ok) throw new WaybillError(result.error.code, result.error.message, result.error);
          return result;
        }),
      );
    } catch (error) {
      return [{ ok: false, error: toErrorBody(error) }];
    }
  }

  private handleInTransaction(request: ValidCommandRequest, origin: CommandOrigin): CommandResult {
    if (request.commandId !== undefined) {
      const earlier = this.log.findCommandResult(request.commandId);
      if (earlier) return { ...earlier, duplicate: true };
    }
    const commandId = request.commandId ?? this.newId();
    const now = this.now();
    const view = createDecisionView({
      now,
      // The log's events are this domain's, upcast to their current shapes.
      readStream: (streamId) => this.log.readStream(streamId) as unknown as LoadedStream,
      reservationOwner: (kind, key) => this.log.reservationOwner(kind, key),
    });
    if (request.expectedVersion !== undefined) {
      const mainStream = mainStreamOf(request.type, request.payload);
      const actual = this.log.streamVersion(mainStream);
      if (actual !== request.expectedVersion) {
        throw new WaybillError(
          'CONCURRENCY',
          `${mainStream} is at version ${actual}, not ${request.expectedVersion}: someone changed it meanwhile. Reload and try again.`,
          { field: 'expectedVersion', rule: 'expected_version', retryable: true },
        );
      }
    }
    const decide = deciders[request.type] as Decider<typeof request.type>;
    const decision = decide(request.payload as never, view);
    if (!decision.ok) return { ok: false, error: fromTheRequestRoot(decision.error) };
    const appended = this.log.append({
      commandId,
      commandType: request.type,
      events: decision.events.map((e: DomainEvent) => ({ ...e, schemaVersion: currentSchemaVersion[e.type as EventType] })),
      metadata: {
        commandId,
        correlationId: request.correlationId ?? commandId,
        causationId: request.causationId ?? commandId,
        actor: origin.actor,
        deviceId: origin.deviceId,
      },
      recordedAt: now,
      newEventId: this.newId,
      reservations: decision.reservations,
    });
    return { ok: true, ...appended, duplicate: false };
  }
}

import type Database from 'better-sqlite3';
import type { CommandResult } from '../contract.ts';
import { deciders, mainStreamOf } from '../domain/decide/index.ts';
import type { Decider } from '../domain/decide/decision.ts';
import { currentSchemaVersion, type EventType } from '../domain/events.ts';
import { upcasters } from '../domain/upcasters.ts';
import { createDecisionView } from '../domain/view.ts';
import { toErrorBody, WaybillError } from '../errors.ts';
import { EventLogWriter, type ExpectedVersion } from '../log/eventLogWriter.ts';
import { createUuidV7Generator } from '../log/uuidv7.ts';
import { validateCommand } from './validateCommand.ts';

export interface CommandHandlerOptions {
  /** Current time as an ISO string; tests and the seeder pass their own clock. */
  now?: () => string;
  newId?: () => string;
  actor?: string;
  deviceId?: string;
}

/**
 * validate → decide → append, in one IMMEDIATE transaction per command. A repeated command id
 * returns the first result and appends nothing; a rejection appends nothing.
 */
export class CommandHandler {
  readonly log: EventLogWriter;
  private readonly now: () => string;
  private readonly newId: () => string;

  constructor(
    db: Database.Database,
    private readonly options: CommandHandlerOptions = {},
  ) {
    this.log = new EventLogWriter(db, upcasters);
    this.now = options.now ?? (() => new Date().toISOString());
    this.newId = options.newId ?? createUuidV7Generator();
  }

  handle(input: unknown): CommandResult {
    try {
      return this.log.transaction(() => this.handleInTransaction(input));
    } catch (error) {
      return { ok: false, error: toErrorBody(error) };
    }
  }

  /** Many commands in one transaction (bulk import and seeding); stops at the first rejection, which rolls back all. */
  handleAll(inputs: readonly unknown[]): CommandResult[] {
    try {
      return this.log.transaction(() =>
        inputs.map((input) => {
          const result = this.handleInTransaction(input);
          if (!result.ok) throw new WaybillError(result.error.code, result.error.message, result.error);
          return result;
        }),
      );
    } catch (error) {
      return [{ ok: false, error: toErrorBody(error) }];
    }
  }

  private handleInTransaction(input: unknown): CommandResult {
    const { request, command } = validateCommand(input);
    if (request.commandId !== undefined) {
      const earlier = this.log.findCommandResult(request.commandId);
      if (earlier) return earlier.ok ? { ...earlier, duplicate: true } : earlier;
    }
    const commandId = request.commandId ?? this.newId();
    const now = this.now();
    const view = createDecisionView({
      now,
      readStream: (streamId) => this.log.readStream(streamId),
      trackingCodeOwner: (code) => this.log.trackingCodeOwner(code),
    });
    if (request.expectedVersion !== undefined) {
      const mainStream = mainStreamOf(command.type, command.payload);
      const actual = this.log.streamVersion(mainStream);
      if (actual !== request.expectedVersion) {
        throw new WaybillError(
          'CONCURRENCY',
          `${mainStream} is at version ${actual}, not ${request.expectedVersion}: someone changed it meanwhile. Reload and try again.`,
          { field: 'expectedVersion', rule: 'expected_version', retryable: true },
        );
      }
    }
    const decide = deciders[command.type] as Decider<typeof command.type>;
    const decision = decide(command.payload as never, view);
    if (!decision.ok) return decision;

    const expected = new Map<string, ExpectedVersion>();
    for (const [streamId, version] of view.seenVersions) expected.set(streamId, version);
    const appended = this.log.append({
      commandId,
      commandType: command.type,
      events: decision.events,
      expected,
      metadata: {
        commandId,
        correlationId: request.correlationId ?? commandId,
        causationId: request.causationId ?? commandId,
        actor: request.actor ?? this.options.actor ?? null,
        deviceId: request.deviceId ?? this.options.deviceId ?? null,
      },
      recordedAt: now,
      newEventId: this.newId,
      schemaVersionOf: (type) => currentSchemaVersion[type as EventType],
      ...(command.type === 'RegisterParcel'
        ? { trackingCode: { code: command.payload.trackingCode, parcelId: command.payload.parcelId } }
        : {}),
    });
    return { ok: true, ...appended, duplicate: false };
  }
}

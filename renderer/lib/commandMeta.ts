import type { CommandPayload, CommandRequest, CommandType } from '../../db/contract/index.ts';

function randomId(): string {
  return crypto.randomUUID();
}

/**
 * Wraps a command with its envelope: its own id (so a retry is answered, not recorded twice) and
 * the user action it belongs to. Who sent it and from which device is the host's to stamp.
 */
export function commandRequest<T extends CommandType>(type: T, payload: CommandPayload<T>, correlationId = randomId()): CommandRequest {
  return { type, payload, commandId: randomId(), correlationId } as CommandRequest;
}

/** Short readable ids for new parcels and routes; the domain accepts letters, digits, dashes. */
export function newEntityId(prefix: string, now = new Date()): string {
  const stamp = now.toISOString().slice(2, 10).replace(/-/g, '');
  return `${prefix}-${stamp}-${randomId().slice(0, 6)}`;
}

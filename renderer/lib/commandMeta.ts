import type { CommandPayload, CommandRequest, CommandType } from '../../db/contract.ts';

const deviceKey = 'waybill.deviceId';
const actorKey = 'waybill.actor';

function randomId(): string {
  return crypto.randomUUID();
}

function stored(key: string, make: () => string): string {
  try {
    const existing = localStorage.getItem(key);
    if (existing) return existing;
    const value = make();
    localStorage.setItem(key, value);
    return value;
  } catch {
    return make();
  }
}

/** Wraps a command with the envelope the log records: who, from which device, and which user action it belongs to. */
export function commandRequest<T extends CommandType>(type: T, payload: CommandPayload<T>, correlationId = randomId()): CommandRequest {
  return {
    type,
    payload,
    commandId: randomId(),
    correlationId,
    actor: stored(actorKey, () => 'operator'),
    deviceId: stored(deviceKey, () => `console-${randomId().slice(0, 8)}`),
  };
}

export const newCorrelationId = randomId;

/** Short readable ids for new parcels and routes; the domain accepts letters, digits, dashes. */
export function newEntityId(prefix: string, now = new Date()): string {
  const stamp = now.toISOString().slice(2, 10).replace(/-/g, '');
  return `${prefix}-${stamp}-${randomId().slice(0, 6)}`;
}

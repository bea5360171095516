import type { z } from 'zod';
import { commandPayloadSchemas, commandRequestSchema, type AnyCommand, type CommandRequest } from '../contract.ts';
import { WaybillError } from '../errors.ts';

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value = input;
  for (const key of path) {
    if (value === null || typeof value !== 'object' || !Object.hasOwn(value, key)) return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

/** The first issue as a typed error; `whole` names the value itself when the issue is about all of it. */
function firstIssue(error: z.ZodError, input: unknown, prefix: string[] = [], whole = 'value'): WaybillError {
  const issue = error.issues[0]!;
  const path = [...prefix, ...issue.path.map(String)];
  const field = path.join('.');
  const name = field || whole;
  let message: string;
  if (issue.code === 'unrecognized_keys') message = `Unknown field${issue.keys.length > 1 ? 's' : ''}: ${issue.keys.join(', ')}.`;
  else if (issue.code === 'invalid_type' && valueAt(input, issue.path) === undefined) message = `${name} is required.`;
  else if (issue.code === 'invalid_type') message = `${name} must be ${issue.expected === 'object' ? 'an object' : `a ${issue.expected}`}.`;
  else if (issue.code === 'invalid_value') message = `${name} must be one of ${issue.values.map(String).join(', ')}.`;
  else message = `${name} ${issue.message}`.trim();
  const fieldName = issue.code === 'unrecognized_keys' ? [...path, issue.keys[0]!].join('.') : field;
  return new WaybillError('VALIDATION', message, fieldName ? { field: fieldName } : {});
}

/** Shape checks for the envelope and the payload; business rules come later, in decide. */
export function validateCommand(input: unknown): { request: CommandRequest; command: AnyCommand } {
  const envelope = commandRequestSchema.safeParse(input);
  if (!envelope.success) throw firstIssue(envelope.error, input);
  const schema = commandPayloadSchemas[envelope.data.type];
  const payload = schema.safeParse(envelope.data.payload);
  if (!payload.success) throw firstIssue(payload.error, envelope.data.payload, [], 'payload');
  return { request: envelope.data, command: { type: envelope.data.type, payload: payload.data } as AnyCommand };
}

export { firstIssue as zodIssueToError };

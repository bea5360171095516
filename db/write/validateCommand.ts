import type { z } from 'zod';
import { commandPayloadSchemas, commandRequestSchema, type AnyCommand, type CommandRequest } from '../contract.ts';
import { WaybillError } from '../errors.ts';

function firstIssue(error: z.ZodError, prefix: string[]): WaybillError {
  const issue = error.issues[0]!;
  const path = [...prefix, ...issue.path.map(String)];
  const field = path.join('.');
  const message =
    issue.code === 'unrecognized_keys'
      ? `Unknown field${issue.keys.length > 1 ? 's' : ''}: ${issue.keys.join(', ')}.`
      : issue.code === 'invalid_type' && issue.input === undefined
        ? `${field || 'value'} is required.`
        : `${field || 'value'} ${issue.message}`.trim();
  const fieldName = issue.code === 'unrecognized_keys' ? [...path, issue.keys[0]!].join('.') : field;
  return new WaybillError('VALIDATION', message, fieldName ? { field: fieldName } : {});
}

/** Shape checks for the envelope and the payload; business rules come later, in decide. */
export function validateCommand(input: unknown): { request: CommandRequest; command: AnyCommand } {
  const envelope = commandRequestSchema.safeParse(input);
  if (!envelope.success) throw firstIssue(envelope.error, []);
  const schema = commandPayloadSchemas[envelope.data.type];
  const payload = schema.safeParse(envelope.data.payload);
  if (!payload.success) throw firstIssue(payload.error, []);
  return { request: envelope.data, command: { type: envelope.data.type, payload: payload.data } as AnyCommand };
}

export { firstIssue as zodIssueToError };

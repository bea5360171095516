// The one way a schema issue becomes an error a person can act on, wherever input is checked
// (the core's boundary, a form before it sends, an import line).
import type { z } from 'zod';
import type { WaybillErrorBody } from './errors.ts';

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value = input;
  for (const key of path) {
    if (value === null || typeof value !== 'object' || !Object.hasOwn(value, key)) return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

const article = (expected: string) => (expected === 'object' || expected === 'array' ? `an ${expected}` : `a ${expected}`);

/**
 * The first issue of a failed parse as a VALIDATION error: `field` is the dotted path from the
 * value's root (after `prefix`), and the message names it; `whole` names the value itself when the
 * issue is about all of it.
 */
export function issueToError(error: z.ZodError, input: unknown, options: { prefix?: readonly string[]; whole?: string } = {}): WaybillErrorBody {
  const issue = error.issues[0]!;
  const prefix = options.prefix ?? [];
  const path = [...prefix, ...issue.path.map(String)];
  const field = path.join('.');
  const name = field || (options.whole ?? 'value');
  let message: string;
  let fieldName = field;
  switch (issue.code) {
    case 'unrecognized_keys':
      message = `Unknown field${issue.keys.length > 1 ? 's' : ''}: ${issue.keys.join(', ')}.`;
      fieldName = [...path, issue.keys[0]!].join('.');
      break;
    case 'invalid_type':
      message = valueAt(input, issue.path) === undefined ? `${name} is required.` : `${name} must be ${article(issue.expected)}.`;
      break;
    case 'invalid_value':
      message = `${name} must be one of ${issue.values.map(String).join(', ')}.`;
      break;
    case 'invalid_union': {
      // A discriminated union (a command's type, say): name the choices.
      const options = (issue as { options?: unknown[] }).options;
      message = Array.isArray(options)
        ? valueAt(input, issue.path) === undefined
          ? `${name} is required.`
          : `${name} must be one of ${options.map(String).join(', ')}.`
        : `${name} ${issue.message}`.trim();
      break;
    }
    default:
      message = `${name} ${issue.message}`.trim();
  }
  return fieldName ? { code: 'VALIDATION', message, field: fieldName } : { code: 'VALIDATION', message };
}

// Errors are values: a code, a message a person can act on, and the field or rule at fault.
import { z } from 'zod';

export const errorCodes = [
  'VALIDATION',
  'NOT_FOUND',
  'CONFLICT',
  'RULE',
  'CONCURRENCY',
  'FORBIDDEN',
  'UNAVAILABLE',
  'TIMEOUT',
  'STORAGE_FULL',
  'READ_ONLY',
  'CORRUPT',
  'INTERNAL',
] as const;
export type ErrorCode = (typeof errorCodes)[number];

export const errorBodySchema = z.strictObject({
  code: z.enum(errorCodes),
  message: z.string(),
  /** Dotted path of the offending field, when one field is at fault. */
  field: z.string().optional(),
  /** Name of the business rule that rejected the call. */
  rule: z.string().optional(),
  /** Whether retrying the same call later may succeed. */
  retryable: z.literal(true).optional(),
});
export type WaybillErrorBody = z.infer<typeof errorBodySchema>;

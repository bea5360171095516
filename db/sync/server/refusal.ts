import type { ErrorCode, WaybillErrorBody } from '../../contract/errors.ts';
import { WaybillError } from '../../contract/waybillError.ts';

const statusOfCode: Partial<Record<ErrorCode, number>> = { VALIDATION: 400, FORBIDDEN: 403, NOT_FOUND: 404, CONFLICT: 409, UNAVAILABLE: 503 };

/**
 * A request the server refuses: a typed error with the HTTP status it is answered with, and, for
 * a sequence gap, the device sequence the server expects next.
 */
export class SyncRefusal extends WaybillError {
  readonly status: number;
  readonly expected: number | undefined;
  readonly retryAfterSeconds: number | undefined;

  constructor(
    code: ErrorCode,
    message: string,
    details: { field?: string; rule?: string; retryable?: boolean; status?: number; expected?: number; retryAfterSeconds?: number; cause?: unknown } = {},
  ) {
    super(code, message, details);
    this.name = 'SyncRefusal';
    this.status = details.status ?? statusOfCode[code] ?? 500;
    this.expected = details.expected;
    this.retryAfterSeconds = details.retryAfterSeconds;
  }
}

/** A schema issue (db/contract/issues.ts) as a 400 refusal. */
export function validationRefusal(body: WaybillErrorBody): SyncRefusal {
  return new SyncRefusal('VALIDATION', body.message, body.field === undefined ? {} : { field: body.field });
}

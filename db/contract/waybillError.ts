import type { ErrorCode, WaybillErrorBody } from './errors.ts';

/** An error that is a value: a code, a message a person can act on, and the field or rule at fault. */
export class WaybillError extends Error {
  readonly code: ErrorCode;
  readonly field: string | undefined;
  readonly rule: string | undefined;
  readonly retryable: boolean;

  constructor(code: ErrorCode, message: string, details: { field?: string; rule?: string; retryable?: boolean; cause?: unknown } = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'WaybillError';
    this.code = code;
    this.field = details.field;
    this.rule = details.rule;
    this.retryable = details.retryable ?? false;
  }

  toBody(): WaybillErrorBody {
    const body: WaybillErrorBody = { code: this.code, message: this.message };
    if (this.field !== undefined) body.field = this.field;
    if (this.rule !== undefined) body.rule = this.rule;
    if (this.retryable) body.retryable = true;
    return body;
  }
}

interface SqliteLikeError {
  code?: unknown;
  message?: unknown;
  /** Set by Node on file system errors. */
  path?: unknown;
}

/** Already an error body (an answer's `error`, passed on): kept as it is. */
function isErrorBody(value: unknown): value is WaybillErrorBody {
  return typeof value === 'object' && value !== null && !(value instanceof Error) && typeof (value as WaybillErrorBody).code === 'string' && typeof (value as WaybillErrorBody).message === 'string';
}

/** A file system error (Node's ENOENT, EACCES…) about a path someone named. */
function fileErrorBody(code: string, path: string): WaybillErrorBody | null {
  if (code === 'ENOENT') return { code: 'NOT_FOUND', message: `There is no such file or folder: ${path}.` };
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') return { code: 'READ_ONLY', message: `${path} cannot be written or read here (${code}).` };
  if (code === 'ENOSPC') return { code: 'STORAGE_FULL', message: `The disk is full: ${path} was not written. Free some space and try again.`, retryable: true };
  if (code === 'EISDIR' || code === 'ENOTDIR') return { code: 'VALIDATION', message: `${path} is ${code === 'EISDIR' ? 'a folder, not a file' : 'not inside a folder'}.` };
  return null;
}

/** Maps anything thrown below the API to a typed error body; SQLite failures get their own codes. */
export function toErrorBody(error: unknown): WaybillErrorBody {
  if (error instanceof WaybillError) return error.toBody();
  if (isErrorBody(error)) return error;
  const path = (error as SqliteLikeError)?.path;
  if (typeof (error as SqliteLikeError)?.code === 'string' && typeof path === 'string') {
    const file = fileErrorBody((error as SqliteLikeError).code as string, path);
    if (file) return file;
  }
  const sqliteCode = typeof (error as SqliteLikeError)?.code === 'string' ? ((error as SqliteLikeError).code as string) : '';
  const message = error instanceof Error ? error.message : String(error);
  if (sqliteCode.startsWith('SQLITE_FULL')) {
    return { code: 'STORAGE_FULL', message: 'The disk is full: nothing was written. Free some space and try again.', retryable: true };
  }
  if (sqliteCode.startsWith('SQLITE_READONLY')) {
    return { code: 'READ_ONLY', message: 'The data folder is read-only: nothing was written.' };
  }
  if (sqliteCode.startsWith('SQLITE_BUSY') || sqliteCode.startsWith('SQLITE_LOCKED')) {
    return { code: 'UNAVAILABLE', message: 'The data folder is locked by another program: try again in a moment.', retryable: true };
  }
  if (sqliteCode.startsWith('SQLITE_CORRUPT') || sqliteCode.startsWith('SQLITE_NOTADB')) {
    return {
      code: 'CORRUPT',
      message: `A database file is damaged (${message}). Nothing was written, and Waybill will not repair it in place: restore the log from a backup (waybill restore --from FILE); a damaged read model is rebuilt from the log at the next start.`,
    };
  }
  if (message.startsWith('waybill: ')) return { code: 'RULE', message: message.slice('waybill: '.length), rule: 'append_only' };
  return { code: 'INTERNAL', message: `Unexpected error: ${message}` };
}

export function isWaybillError(error: unknown): error is WaybillError {
  return error instanceof WaybillError;
}

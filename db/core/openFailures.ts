import { accessSync, constants } from 'node:fs';
import type Database from 'better-sqlite3';
import { WaybillError } from '../contract/waybillError.ts';

const QUICK_CHECK_MAX_BYTES = 128 * 1024 * 1024;

/** The advice every damaged-log message carries: restore, never repair in place. */
export const restoreAdvice = (dataDir: string) =>
  `Waybill will not write to it or repair it. Restore the last good backup: waybill restore --from BACKUP.db --data "${dataDir}" (the damaged log is kept beside the restored one).`;

export function corruptLog(dataDir: string, detail: string): WaybillError {
  return new WaybillError('CORRUPT', `The event log in ${dataDir} is damaged (${detail.replace(/\s+/g, ' ').trim()}). ${restoreAdvice(dataDir)}`);
}

/**
 * Checks an existing log before anything writes to it: the header and schema must read, and a
 * log small enough to check quickly must pass quick_check. Damage in a larger file surfaces as
 * SQLITE_CORRUPT when it is touched, and the first command that meets it refuses all writes.
 */
export function checkLog(reader: Database.Database, sizeBytes: number, dataDir: string): void {
  reader.prepare('SELECT count(*) FROM sqlite_master').get();
  reader.prepare('SELECT position FROM events ORDER BY position DESC LIMIT 1').get();
  if (sizeBytes < QUICK_CHECK_MAX_BYTES) {
    const check = String(reader.pragma('quick_check(1)', { simple: true }));
    if (check !== 'ok') throw corruptLog(dataDir, check);
  }
}

function writable(dir: string): boolean {
  try {
    accessSync(dir, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/** Turns what went wrong while opening a data folder into a typed error a person can act on. */
export function explainOpenFailure(error: unknown, dataDir: string): unknown {
  if (error instanceof WaybillError) return error;
  const code = typeof (error as { code?: unknown } | null)?.code === 'string' ? (error as { code: string }).code : '';
  const message = error instanceof Error ? error.message : String(error);
  if (code.startsWith('SQLITE_CORRUPT') || code.startsWith('SQLITE_NOTADB')) return corruptLog(dataDir, message);
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return new WaybillError('UNAVAILABLE', `The data folder ${dataDir} is locked by another program (${message}). Close it, or the other Waybill window, and try again.`, {
      retryable: true,
      cause: error,
    });
  }
  const fsDenied = code === 'EROFS' || code === 'EACCES' || code === 'EPERM';
  if (fsDenied || code.startsWith('SQLITE_READONLY') || ((code.startsWith('SQLITE_CANTOPEN') || code.startsWith('SQLITE_IOERR')) && !writable(dataDir))) {
    return new WaybillError(
      'READ_ONLY',
      `The data folder ${dataDir} is read-only (${message}). Open it read-only to look at it (nothing can be recorded), or make it writable and try again.`,
      { cause: error },
    );
  }
  return error;
}

/** A READ_ONLY open failure with the way this host opens read-only (a flag, say) added to its message; any other error as it is. */
export function withReadOnlyHint(error: unknown, hint: string): unknown {
  if (!(error instanceof WaybillError) || error.code !== 'READ_ONLY') return error;
  return new WaybillError('READ_ONLY', `${error.message} ${hint}`, { cause: error });
}

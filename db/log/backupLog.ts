import Database from 'better-sqlite3';
import { closeSync, existsSync, openSync, readSync, renameSync } from 'node:fs';
import { WaybillError } from '../contract/waybillError.ts';
import { verifyLog } from './verifyLog.ts';

/** An online, consistent copy of the log (SQLite's backup API), taken while appends continue. */
export async function backupLog(log: Database.Database, file: string): Promise<{ bytes: number }> {
  const result = await log.backup(file);
  return { bytes: result.totalPages * (log.pragma('page_size', { simple: true }) as number) };
}

/**
 * Replaces the log with a backup after checking it: SQLite integrity, gapless positions and an
 * unbroken hash chain. The replaced log is kept beside it, so nothing accepted is ever lost: a
 * healthy one checkpointed into one file, a damaged one (garbled header, failed quick_check) moved
 * aside untouched with its -wal and -shm, never opened for writing.
 */
export function restoreLog(logPath: string, from: string): { head: number; keptAs: string | null } {
  if (!existsSync(from)) throw new WaybillError('NOT_FOUND', `There is no backup file at ${from}.`, { field: 'from' });
  let head: number;
  const candidate = new Database(from, { readonly: true, fileMustExist: true });
  try {
    const report = verifyLog(candidate);
    // Without its guards the restored log would stay writable: migrations never reinstall them.
    if (report.integrity !== 'ok' || !report.gapless || !report.chain.ok || !report.guards) {
      throw new WaybillError(
        'CORRUPT',
        `The backup ${from} does not verify (integrity ${report.integrity}, chain ok: ${report.chain.ok}, guards in place: ${report.guards}); nothing was restored.`,
      );
    }
    head = report.head;
  } catch (error) {
    if (error instanceof WaybillError) throw error;
    throw new WaybillError('CORRUPT', `${from} is not a Waybill log: ${(error as Error).message}`);
  } finally {
    candidate.close();
  }
  let keptAs: string | null = null;
  if (existsSync(logPath)) {
    keptAs = `${logPath}.before-restore-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    if (!isDamaged(logPath)) checkpoint(logPath);
    // With its -wal and -shm (if a checkpoint left any, or the log is damaged), the kept file opens as it was.
    for (const suffix of ['', '-wal', '-shm']) if (existsSync(logPath + suffix)) renameSync(logPath + suffix, keptAs + suffix);
  }
  const copy = new Database(from, { readonly: true });
  copy.exec(`VACUUM INTO '${logPath.replace(/'/g, "''")}'`);
  copy.close();
  return { head, keptAs };
}

const SQLITE_HEADER = Buffer.from('SQLite format 3\0', 'latin1');

/**
 * Whether the log fails to read as an undamaged SQLite file. The header is read by hand first:
 * SQLite would open the WAL index (-shm) before finding it garbled. The rest is checked read-only.
 */
function isDamaged(logPath: string): boolean {
  if (!headerIntact(logPath)) return true;
  let probe: Database.Database | null = null;
  try {
    probe = new Database(logPath, { readonly: true, fileMustExist: true });
    return probe.pragma('quick_check(1)', { simple: true }) !== 'ok';
  } catch (error) {
    const code = String((error as { code?: unknown }).code);
    if (code.startsWith('SQLITE_NOTADB') || code.startsWith('SQLITE_CORRUPT')) return true;
    throw error;
  } finally {
    probe?.close();
  }
}

/** Folds the WAL into the main file, so the kept log stands alone. */
function checkpoint(logPath: string): void {
  const current = new Database(logPath, { fileMustExist: true });
  try {
    current.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    current.close();
  }
}

/** An empty file is a valid, empty database; anything else must start with SQLite's magic string. */
function headerIntact(logPath: string): boolean {
  const header = Buffer.alloc(SQLITE_HEADER.length);
  const fd = openSync(logPath, 'r');
  try {
    const read = readSync(fd, header, 0, header.length, 0);
    return read === 0 || (read === header.length && header.equals(SQLITE_HEADER));
  } finally {
    closeSync(fd);
  }
}

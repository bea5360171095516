import Database from 'better-sqlite3';
import { existsSync, renameSync, rmSync } from 'node:fs';
import { WaybillError } from '../errors.ts';
import { verifyLog } from './verifyLog.ts';

/** An online, consistent copy of the log (SQLite's backup API), taken while appends continue. */
export async function backupLog(log: Database.Database, file: string): Promise<{ bytes: number }> {
  const result = await log.backup(file);
  return { bytes: result.totalPages * (log.pragma('page_size', { simple: true }) as number) };
}

/**
 * Replaces the log with a backup after checking it: SQLite integrity, gapless positions and an
 * unbroken hash chain. The replaced log is kept beside it, so nothing accepted is ever lost.
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
    const current = new Database(logPath);
    current.pragma('wal_checkpoint(TRUNCATE)');
    current.close();
    renameSync(logPath, keptAs);
    for (const suffix of ['-wal', '-shm']) rmSync(logPath + suffix, { force: true });
  }
  const copy = new Database(from, { readonly: true });
  copy.exec(`VACUUM INTO '${logPath.replace(/'/g, "''")}'`);
  copy.close();
  return { head, keptAs };
}

import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { WaybillError } from '../../contract/waybillError.ts';
import { backupLog } from '../../log/backupLog.ts';
import { exportEvents } from '../../log/exportEvents.ts';
import type { OperationHandler } from './handler.ts';

/** A file to write: its folder must exist (nothing is created on the way). */
function writable(to: string): string {
  const path = resolve(to);
  if (!existsSync(dirname(path))) throw new WaybillError('NOT_FOUND', `There is no folder ${dirname(path)} to write ${path} in.`, { field: 'to' });
  return path;
}

/** An online, consistent copy of the log, taken while appends continue. */
export const backup: OperationHandler<'backup'> = async ({ to }, _session, core) => ({ ok: true, to, ...(await backupLog(core.logReader(), writable(to))) });

/** Every event, one JSON line each, from one consistent snapshot. */
export const exportLog: OperationHandler<'export'> = async ({ to }, _session, core) => ({ ok: true, to, ...(await exportEvents(core.logReader(), writable(to))) });

/** Appends what is not already here (idempotent by event id), through the one append path. */
export const importLog: OperationHandler<'import'> = async ({ from }, _session, core) => {
  if (!existsSync(from)) throw new WaybillError('NOT_FOUND', `There is no file ${resolve(from)} to import.`, { field: 'from' });
  return { ok: true, ...(await core.importFile(from)) };
};

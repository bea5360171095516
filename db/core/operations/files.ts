import { backupLog } from '../../log/backupLog.ts';
import { exportEvents } from '../../log/exportEvents.ts';
import { importEvents } from '../../write/importEvents.ts';
import type { OperationHandler } from './handler.ts';

/** An online, consistent copy of the log, taken while appends continue. */
export const backup: OperationHandler<'backup'> = async ({ to }, _session, core) => ({ ok: true, to, ...(await backupLog(core.logReader(), to)) });

/** Every event, one JSON line each, from one consistent snapshot. */
export const exportLog: OperationHandler<'export'> = async ({ to }, _session, core) => ({ ok: true, to, ...(await exportEvents(core.logReader(), to)) });

/** Appends what is not already here (idempotent by event id), through the one append path. */
export const importLog: OperationHandler<'import'> = async ({ from }, _session, core) => {
  const result = await importEvents(core.writer(), from);
  if (result.imported > 0) core.afterAppend(result.head, result.imported);
  return { ok: true, ...result };
};

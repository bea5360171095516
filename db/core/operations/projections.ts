import type { OperationHandler } from './handler.ts';

export const rebuild: OperationHandler<'rebuild'> = ({ projection }, _session, core) => core.rebuild(projection);

/** Cancels the named rebuild, or every one: a queued one never starts, a running one stops and its file goes. */
export const cancelRebuild: OperationHandler<'cancelRebuild'> = ({ projection }, _session, core) => {
  core.cancelRebuild(projection);
  return { ok: true };
};

export const deadLetter: OperationHandler<'deadLetter'> = ({ projection, position, action }, _session, core) => core.deadLetter(projection, position, action);

export const verify: OperationHandler<'verify'> = async (_input, _session, core) => ({ ok: true, report: await core.verify() });

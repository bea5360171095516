import type { OperationHandler } from './handler.ts';

export const syncStatus: OperationHandler<'sync.status'> = async (_input, _session, core) => ({ ok: true, status: await core.freshSyncStatus() });

export const syncJoin: OperationHandler<'sync.join'> = async ({ server, code }, _session, core) => {
  await core.sync().join(server, code);
  return { ok: true, status: await core.freshSyncStatus() };
};

export const syncNow: OperationHandler<'sync.now'> = async (_input, _session, core) => {
  const { pushed, pulled } = await core.sync().syncNow();
  return { ok: true, pushed, pulled, status: await core.freshSyncStatus() };
};

export const syncLeave: OperationHandler<'sync.leave'> = async (_input, _session, core) => {
  await core.sync().leave();
  return { ok: true, status: await core.freshSyncStatus() };
};

export const syncFleet: OperationHandler<'sync.fleet'> = async (_input, _session, core) => ({ ok: true, devices: await core.sync().fleet() });

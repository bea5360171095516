import type { OperationHandler } from './handler.ts';

export const syncStatus: OperationHandler<'sync.status'> = (_input, _session, core) => ({ ok: true, status: core.syncStatus() });

export const syncJoin: OperationHandler<'sync.join'> = async ({ server, code }, _session, core) => ({ ok: true, status: await core.sync().join(server, code) });

export const syncNow: OperationHandler<'sync.now'> = async (_input, _session, core) => ({ ok: true, ...(await core.sync().syncNow()) });

export const syncLeave: OperationHandler<'sync.leave'> = async (_input, _session, core) => ({ ok: true, status: await core.sync().leave() });

export const syncFleet: OperationHandler<'sync.fleet'> = async (_input, _session, core) => ({ ok: true, devices: await core.sync().fleet() });

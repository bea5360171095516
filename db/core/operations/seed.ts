import type { OperationHandler } from './handler.ts';

/** Appends a realistic, deterministic demo history through the command path (db/core/writer/runSeed.ts). */
export const seed: OperationHandler<'seed'> = async ({ events, seed: seedNumber }, _session, core) => ({ ok: true, ...(await core.seed({ events, seed: seedNumber })) });

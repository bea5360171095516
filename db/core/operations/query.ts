import type { ReadModelQueryName } from '../../queries/index.ts';
import type { OperationHandler } from './handler.ts';

/** A named query, served from its read model only (read-your-writes when asked for). */
export const answerQuery =
  <Q extends ReadModelQueryName>(name: Q): OperationHandler<Q> =>
  async ({ params, options }, _session, core) => ({ ok: true, ...(await core.query(name, params as never, options)) }) as never;

/** projections.status: answered by the runtime, not by a read model; with minPosition, once every read model has it. */
export const answerStatus: OperationHandler<'projections.status'> = async ({ options }, _session, core) => ({ ok: true, ...(await core.status(options)) });

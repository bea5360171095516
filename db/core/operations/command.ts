import type { OperationHandler } from './handler.ts';

/** validate (done at the boundary) → decide → append, as the session's actor. */
export const recordCommand: OperationHandler<'command'> = (request, session, core) => core.command(request, session);

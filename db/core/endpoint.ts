import {
  isOperationName,
  isPushTopic,
  issueToError,
  operations,
  type Answer,
  type OperationName,
  type PushMessages,
  type PushTopic,
  type Session,
} from '../contract/index.ts';
import { toErrorBody } from '../contract/waybillError.ts';
import type { Core } from './core.ts';
import { handlers } from './operations/index.ts';
import type { OperationHandler } from './operations/handler.ts';

/**
 * The one way into the core. Every transport (the in-process one of the CLI and tests, the core
 * process's channel, and through it Electron's window and the browser host) delivers
 * `call(session, operation, input)`: the host that owns the transport stamps the session, the
 * input is validated here and only here, and every failure is an answer, never a throw.
 */
export interface CoreEndpoint {
  call(session: Session, operation: unknown, input: unknown): Promise<Answer<object>>;
  listen<T extends PushTopic>(topic: T, listener: (message: PushMessages[T]) => void): () => void;
}

const describe = (value: unknown) => (typeof value === 'string' ? JSON.stringify(value.slice(0, 80)) : `like that (a ${value === null ? 'null' : typeof value})`);

export function createEndpoint(core: Core): CoreEndpoint {
  return {
    async call(session, operation, input) {
      // Checked as a string first: an object name could make the key lookup run its own toString.
      if (!isOperationName(operation)) return { ok: false, error: { code: 'VALIDATION', message: `There is no operation named ${describe(operation)}.`, field: 'operation' } };
      const spec = operations[operation];
      if (!spec.surfaces.includes(session.surface)) {
        return { ok: false, error: { code: 'FORBIDDEN', message: `${operation} is only available from ${spec.surfaces.join(', ')}, not from the ${session.surface}.` } };
      }
      const parsed = spec.input.safeParse(input);
      if (!parsed.success) return { ok: false, error: issueToError(parsed.error, input, { whole: 'input' }) };
      try {
        const handler = handlers[operation] as OperationHandler<OperationName>;
        return (await handler(parsed.data as never, session, core)) as Answer<object>;
      } catch (error) {
        return { ok: false, error: toErrorBody(error) };
      }
    },
    listen(topic, listener) {
      if (!isPushTopic(topic)) throw new TypeError(`waybill: there is no push topic ${describe(topic)}`);
      return core.listen(topic, listener);
    },
  };
}

import { errorBodySchema, operations, topicSchemas, type OperationAnswer, type Session, type WaybillTransport } from '../contract/index.ts';
import type { CoreEndpoint } from './endpoint.ts';

export interface InProcessOptions {
  /**
   * Parse every answer and push message with its operation's (strict) output schema and throw on a
   * mismatch: tests run this way, so an answer that drifts from the contract fails them.
   */
  checkOutputs?: boolean;
}

/** The transport of a host that opened the core in its own process (the CLI, tests): calls go straight to the endpoint with this host's session. */
export function inProcessTransport(endpoint: CoreEndpoint, session: Session, options: InProcessOptions = {}): WaybillTransport {
  return {
    async call(operation, input) {
      const answer = await endpoint.call(session, operation, input);
      if (options.checkOutputs) {
        const { ok, ...output } = answer as { ok: boolean } & Record<string, unknown>;
        if (ok) operations[operation].output.parse(output);
        else errorBodySchema.parse((answer as { error: unknown }).error);
      }
      return answer as OperationAnswer<typeof operation>;
    },
    listen(topic, listener) {
      return endpoint.listen(topic, (message) => {
        if (options.checkOutputs) topicSchemas[topic].parse(message);
        listener(message);
      });
    },
  };
}

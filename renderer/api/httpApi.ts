import { callPath, pushPath, tokenHeader, type Failure, type OperationAnswer, type OperationName } from '../../db/contract/index.ts';
import type { ConsoleApi } from './consoleApi.ts';
import { createPushChannel, type SocketFactory } from './pushChannel.ts';

export interface HttpApiOptions {
  /** Where the browser host listens, e.g. `http://127.0.0.1:5177`. */
  baseUrl: string;
  token: string;
  fetch?: typeof fetch;
  openSocket?: SocketFactory;
}

export interface HttpApi extends ConsoleApi {
  /** Stops the push socket; pending calls still finish. */
  close(): void;
}

const unreachable = (detail: string): Failure => ({
  ok: false,
  error: { code: 'UNAVAILABLE', message: `The Waybill host did not answer (${detail}). Is \`npm run serve\` still running?`, retryable: true },
});

function isFailure(body: unknown): body is Failure {
  return typeof body === 'object' && body !== null && (body as Failure).ok === false && typeof (body as Failure).error === 'object';
}

/** The contract over HTTP: `POST /api/call/<operation>` with the input, and a reconnecting WebSocket for push topics. */
export function createHttpApi(options: HttpApiOptions): HttpApi {
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  const openSocket = options.openSocket ?? ((url: string) => new WebSocket(url));
  const base = options.baseUrl.replace(/\/$/, '');
  const push = createPushChannel(`${base.replace(/^http/, 'ws')}${pushPath}?token=${encodeURIComponent(options.token)}`, openSocket);

  async function post<N extends OperationName>(operation: N, input: unknown): Promise<OperationAnswer<N>> {
    let response: Response;
    try {
      response = await doFetch(`${base}${callPath(operation)}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [tokenHeader]: options.token },
        body: JSON.stringify(input),
      });
    } catch (error) {
      return unreachable(error instanceof Error ? error.message : 'network error');
    }
    let parsed: unknown;
    try {
      parsed = await response.json();
    } catch {
      return unreachable(`HTTP ${response.status} without a JSON body`);
    }
    if (!response.ok && !isFailure(parsed)) return unreachable(`HTTP ${response.status}`);
    return parsed as OperationAnswer<N>;
  }

  return {
    async call(operation, input) {
      if (operation !== 'command') return post(operation, input);
      // A command id makes a retry after a dropped connection safe: the core answers a repeat with the first result.
      const request = input as Extract<typeof input, { type: string }>;
      const withId = { ...request, commandId: request.commandId ?? crypto.randomUUID() };
      const first = await post('command', withId);
      if (!first.ok && first.error.code === 'UNAVAILABLE') return post(operation, withId);
      return first as OperationAnswer<typeof operation>;
    },
    listen: (topic, listener) => push.subscribe(topic, listener),
    watchConnection: (listener) => push.watchConnection(listener),
    close: () => push.close(),
  };
}

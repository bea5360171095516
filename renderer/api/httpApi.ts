import type { WaybillApi, WaybillErrorBody } from '../../db/contract.ts';
import type { ConsoleApi } from './consoleApi.ts';
import { createPushChannel, type SocketFactory } from './pushChannel.ts';
import { apiPaths, tokenHeader } from './wire.ts';

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

type Failure = { ok: false; error: WaybillErrorBody };

const unreachable = (detail: string): Failure => ({
  ok: false,
  error: { code: 'UNAVAILABLE', message: `The Waybill host did not answer (${detail}). Is \`npm run serve\` still running?`, retryable: true },
});

function isFailure(body: unknown): body is Failure {
  return typeof body === 'object' && body !== null && (body as Failure).ok === false && typeof (body as Failure).error === 'object';
}

/** WaybillApi over HTTP POST (one path per operation) and a reconnecting WebSocket for push messages. */
export function createHttpApi(options: HttpApiOptions): HttpApi {
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  const openSocket = options.openSocket ?? ((url: string) => new WebSocket(url));
  const base = options.baseUrl.replace(/\/$/, '');
  const pushUrl = `${base.replace(/^http/, 'ws')}${apiPaths.push}?token=${encodeURIComponent(options.token)}`;
  const push = createPushChannel(pushUrl, openSocket);

  async function post<R>(path: string, body: unknown): Promise<R | Failure> {
    let response: Response;
    try {
      response = await doFetch(`${base}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [tokenHeader]: options.token },
        body: JSON.stringify(body),
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
    return parsed as R | Failure;
  }

  async function postOrThrow<R>(path: string, body: unknown): Promise<R> {
    const result = await post<R>(path, body);
    if (isFailure(result)) throw new Error(result.error.message);
    return result;
  }

  return {
    async command(request) {
      // A command id makes a retry after a dropped connection safe: the core answers a repeat with the first result.
      const withId = { ...request, commandId: request.commandId ?? crypto.randomUUID() };
      const first = await post<Awaited<ReturnType<WaybillApi['command']>>>(apiPaths.command, withId);
      if (isFailure(first) && first.error.code === 'UNAVAILABLE') return post(apiPaths.command, withId);
      return first;
    },
    query: (name, params, queryOptions) => post(apiPaths.query, { name, params, ...(queryOptions ? { options: queryOptions } : {}) }),
    rebuild: (request) => post(apiPaths.rebuild, request),
    cancelRebuild: (request) => postOrThrow(apiPaths.cancelRebuild, request),
    verify: () => postOrThrow(apiPaths.verify, {}),
    deadLetter: (request) => post(apiPaths.deadLetter, request),
    seed: (request) => post(apiPaths.seed, request),
    subscribe: (topic, listener) => push.subscribe(topic, listener),
    watchConnection: (listener) => push.watchConnection(listener),
    close: () => push.close(),
  };
}

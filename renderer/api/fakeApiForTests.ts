import type {
  CommandRequest,
  CommandResult,
  Freshness,
  PushMessages,
  PushTopic,
  QueryName,
  QueryOptions,
  QueryParams,
  QueryResult,
} from '../../db/contract.ts';
import type { ConsoleApi } from './consoleApi.ts';

type QueryHandler = (params: unknown, options: QueryOptions | undefined) => QueryResult<QueryName> | Promise<QueryResult<QueryName>>;

export interface FakeApi extends ConsoleApi {
  /** Every command and query the code under test sent, in order. */
  readonly calls: { kind: 'command' | 'query'; name: string; params: unknown; options?: QueryOptions }[];
  answerCommand(handler: (request: CommandRequest) => CommandResult): void;
  answerQuery<Q extends QueryName>(name: Q, handler: (params: QueryParams<Q>, options: QueryOptions | undefined) => QueryResult<Q> | Promise<QueryResult<Q>>): void;
  push<T extends PushTopic>(topic: T, message: PushMessages[T]): void;
  /** Says the connection to the core came up or dropped. */
  setConnected(connected: boolean): void;
}

export const freshAt = (position: number, head = position): Freshness => ({ readModel: 'parcel_summary', position, head, lag: head - position, stale: false });

/** An in-memory WaybillApi for renderer unit tests only: answers what each test tells it to, and records every call. */
export function fakeApiForTests(): FakeApi {
  const calls: FakeApi['calls'] = [];
  const queries = new Map<QueryName, QueryHandler>();
  const listeners = new Map<PushTopic, Set<(message: never) => void>>();
  const connectionListeners = new Set<(connected: boolean) => void>();
  let connected = true;
  let commandHandler: (request: CommandRequest) => CommandResult = () => ({ ok: true, commandId: 'c-1', position: 1, events: [], duplicate: false });

  return {
    calls,
    answerCommand(handler) {
      commandHandler = handler;
    },
    answerQuery(name, handler) {
      queries.set(name, handler as QueryHandler);
    },
    setConnected(value) {
      connected = value;
      for (const listener of connectionListeners) listener(value);
    },
    watchConnection(listener) {
      connectionListeners.add(listener);
      listener(connected);
      return () => connectionListeners.delete(listener);
    },
    push(topic, message) {
      for (const listener of listeners.get(topic) ?? []) (listener as (value: PushMessages[typeof topic]) => void)(message);
    },
    async command(request) {
      calls.push({ kind: 'command', name: request.type, params: request.payload });
      return commandHandler(request);
    },
    async query<Q extends QueryName>(name: Q, params: QueryParams<Q>, options?: QueryOptions): Promise<QueryResult<Q>> {
      calls.push({ kind: 'query', name, params, ...(options ? { options } : {}) });
      const handler = queries.get(name);
      if (!handler) return { ok: false, error: { code: 'UNAVAILABLE', message: `fakeApiForTests: no answer for ${name}` } };
      return (await handler(params, options)) as QueryResult<Q>;
    },
    rebuild: async () => ({ ok: true }),
    cancelRebuild: async () => ({ ok: true }),
    verify: async () => ({ ok: true, log: { head: 0, gapless: true, guards: true, integrity: 'ok', chain: { ok: true, firstBadPosition: null } }, readModels: [] }),
    deadLetter: async () => ({ ok: true }),
    seed: async () => ({ ok: true, events: 0, head: 0 }),
    subscribe(topic, listener) {
      const set = listeners.get(topic) ?? new Set();
      listeners.set(topic, set);
      set.add(listener as (message: never) => void);
      return () => set.delete(listener as (message: never) => void);
    },
  };
}

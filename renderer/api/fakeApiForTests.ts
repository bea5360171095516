import {
  queryNames,
  type CommandRequest,
  type CommandResult,
  type Freshness,
  type OperationAnswer,
  type OperationInput,
  type OperationName,
  type PushMessages,
  type PushTopic,
  type QueryName,
  type QueryOptions,
  type QueryParams,
  type QueryResult,
  type SyncStatus,
} from '../../db/contract/index.ts';
import type { ConsoleApi } from './consoleApi.ts';

type QueryHandler = (params: unknown, options: QueryOptions | undefined) => QueryResult<QueryName> | Promise<QueryResult<QueryName>>;
type OperationHandler = (input: unknown) => unknown;

export interface FakeApi extends ConsoleApi {
  /** Every command and query the code under test sent, in order (other calls under their operation's name). */
  readonly calls: { kind: 'command' | 'query' | 'admin'; name: string; params: unknown; options?: QueryOptions }[];
  answerCommand(handler: (request: CommandRequest) => CommandResult): void;
  answerQuery<Q extends QueryName>(name: Q, handler: (params: QueryParams<Q>, options: QueryOptions | undefined) => QueryResult<Q> | Promise<QueryResult<Q>>): void;
  /** How an admin operation (rebuild, verify, seed…) answers; unset ones answer as if they worked. */
  answerOperation<N extends OperationName>(name: N, handler: (input: OperationInput<N>) => OperationAnswer<N> | Promise<OperationAnswer<N>>): void;
  push<T extends PushTopic>(topic: T, message: PushMessages[T]): void;
  /** Says the connection to the core came up or dropped. */
  setConnected(connected: boolean): void;
}

export const freshAt = (position: number, head = position): Freshness => ({ readModel: 'parcel_summary', position, head, lag: head - position, stale: false });

/** How sync stands on a folder that never joined a server, with what a test changes. */
export const syncStatusForTests = (changes: Partial<SyncStatus> = {}): SyncStatus => ({
  joined: false,
  server: null,
  deviceId: '0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b',
  deviceName: null,
  online: false,
  lastContactAt: null,
  lastPushAt: null,
  lastPullAt: null,
  deviceHead: 0,
  acked: 0,
  waiting: 0,
  cursor: 0,
  serverHead: 0,
  behind: 0,
  allOnServer: false,
  caughtUpAt: null,
  conflicts: 0,
  problem: null,
  ...changes,
});

const workedAnswers: Partial<Record<OperationName, unknown>> = {
  verify: { ok: true, report: { ok: true, log: { head: 0, gapless: true, guards: true, integrity: 'ok', chain: { ok: true, firstBadPosition: null }, origins: { ok: true, devices: 0, firstBadPosition: null } }, readModels: [] } },
  seed: { ok: true, events: 0, head: 0, days: 0 },
  'sync.status': { ok: true, status: syncStatusForTests() },
};

/** An in-memory transport for renderer unit tests only: answers what each test tells it to, and records every call. */
export function fakeApiForTests(): FakeApi {
  const calls: FakeApi['calls'] = [];
  const queries = new Map<QueryName, QueryHandler>();
  const operations = new Map<OperationName, OperationHandler>();
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
    answerOperation(name, handler) {
      operations.set(name, handler as OperationHandler);
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
    async call<N extends OperationName>(operation: N, input: OperationInput<N>): Promise<OperationAnswer<N>> {
      if (operation === 'command') {
        const request = input as CommandRequest;
        calls.push({ kind: 'command', name: request.type, params: request.payload });
        return commandHandler(request) as OperationAnswer<N>;
      }
      if ((queryNames as readonly string[]).includes(operation)) {
        const { params, options } = input as { params: unknown; options?: QueryOptions };
        calls.push({ kind: 'query', name: operation, params, ...(options ? { options } : {}) });
        const handler = queries.get(operation as QueryName);
        if (!handler) return { ok: false, error: { code: 'UNAVAILABLE', message: `fakeApiForTests: no answer for ${operation}` } };
        return (await handler(params, options)) as OperationAnswer<N>;
      }
      calls.push({ kind: 'admin', name: operation, params: input });
      const handler = operations.get(operation);
      return (handler ? await handler(input) : (workedAnswers[operation] ?? { ok: true })) as OperationAnswer<N>;
    },
    listen(topic, listener) {
      const set = listeners.get(topic) ?? new Set();
      listeners.set(topic, set);
      set.add(listener as (message: never) => void);
      return () => set.delete(listener as (message: never) => void);
    },
  };
}

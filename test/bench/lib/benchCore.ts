// The core as the benchmarks drive it: opened in this process and reached the way the CLI reaches
// it, through its endpoint over the in-process transport, without the tests' output-schema checks
// (those would be measured too).
import type { CommandRequest, CommandResult, OperationAnswer, PushMessages, PushTopic, QueryName, QueryOptions, QueryParams, QueryResult, QueryResults, ReadModelName, Session, WaybillTransport } from '../../../db/contract/index.ts';
import type { Core } from '../../../db/core/core.ts';
import { inProcessTransport } from '../../../db/core/inProcessTransport.ts';
import { openCore, type CoreOptions } from '../../../db/core/openCore.ts';

const benchSession: Session = { actor: 'bench', surface: 'cli' };

export interface BenchCore extends WaybillTransport {
  readonly core: Core;
  command(request: CommandRequest): Promise<CommandResult>;
  query<Q extends QueryName>(name: Q, params?: QueryParams<Q>, options?: QueryOptions): Promise<QueryResult<Q>>;
  /** projections.status's data (throws if the call failed). */
  status(): Promise<QueryResults['projections.status']>;
  rebuild(projection?: ReadModelName): Promise<OperationAnswer<'rebuild'>>;
  subscribe<T extends PushTopic>(topic: T, listener: (message: PushMessages[T]) => void): () => void;
  head(): number;
  close(): Promise<void>;
}

export async function openBenchCore(options: CoreOptions): Promise<BenchCore> {
  const core = await openCore(options);
  const transport = inProcessTransport(core.endpoint, benchSession);
  const query = <Q extends QueryName>(name: Q, params?: QueryParams<Q>, options?: QueryOptions) =>
    transport.call(name, { params: params ?? {}, ...(options ? { options } : {}) } as never) as Promise<QueryResult<Q>>;
  return {
    core,
    call: transport.call,
    listen: transport.listen,
    subscribe: transport.listen,
    command: (request) => transport.call('command', request),
    query,
    status: async () => {
      const answer = await query('projections.status');
      if (!answer.ok) throw new Error(`projections.status failed: ${answer.error.message}`);
      return answer.data;
    },
    rebuild: (projection) => transport.call('rebuild', projection ? { projection } : {}),
    head: () => core.head(),
    close: () => core.close(),
  };
}

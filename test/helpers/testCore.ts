// The core as tests drive it: opened in this process, reached through the in-process transport
// with a test session, every answer and push message checked against the contract's schemas.
import type { CommandRequest, CommandResult, OperationAnswer, ProjectionStatus, PushMessages, PushTopic, QueryName, QueryOptions, QueryParams, QueryResult, QueryResults, ReadModelName, Session, VerifyReport, WaybillTransport } from '../../db/contract/index.ts';
import type { Core } from '../../db/core/core.ts';
import { inProcessTransport } from '../../db/core/inProcessTransport.ts';
import { openCore, type CoreOptions } from '../../db/core/openCore.ts';

/** Who tests act as: at the command line, so the file operations (backup, export, import) are open to them. */
export const testSession: Session = { actor: 'tester', surface: 'cli' };

export interface TestCore extends WaybillTransport {
  readonly core: Core;
  readonly dataDir: string;
  command(request: CommandRequest): Promise<CommandResult>;
  query<Q extends QueryName>(name: Q, params?: QueryParams<Q>, options?: QueryOptions): Promise<QueryResult<Q>>;
  /** projections.status's data (throws if the call failed). */
  status(): Promise<QueryResults['projections.status']>;
  projectionStatus(name: ReadModelName): Promise<ProjectionStatus>;
  /** verify's report (throws if the call failed). */
  verify(): Promise<VerifyReport>;
  rebuild(projection?: ReadModelName): Promise<OperationAnswer<'rebuild'>>;
  cancelRebuild(projection?: ReadModelName): Promise<OperationAnswer<'cancelRebuild'>>;
  subscribe<T extends PushTopic>(topic: T, listener: (message: PushMessages[T]) => void): () => void;
  head(): number;
  close(): Promise<void>;
}

export function connectTestCore(core: Core, session: Session = testSession): TestCore {
  const transport = inProcessTransport(core.endpoint, session, { checkOutputs: true });
  const unwrap = <A extends { ok: boolean }>(answer: A): Extract<A, { ok: true }> => {
    if (!answer.ok) {
      const { error } = answer as unknown as { error: { code: string; message: string } };
      throw new Error(`${error.code}: ${error.message}`);
    }
    return answer as Extract<A, { ok: true }>;
  };
  const query = <Q extends QueryName>(name: Q, params?: QueryParams<Q>, options?: QueryOptions) =>
    transport.call(name, { params: params ?? {}, ...(options ? { options } : {}) } as never) as Promise<QueryResult<Q>>;
  return {
    core,
    dataDir: core.dataDir,
    call: transport.call,
    listen: transport.listen,
    subscribe: transport.listen,
    command: (request) => transport.call('command', request),
    query,
    status: async () => unwrap(await query('projections.status')).data,
    projectionStatus: async (name) => unwrap(await query('projections.status')).data.projections.find((p) => p.name === name)!,
    verify: async () => unwrap(await transport.call('verify', {})).report,
    rebuild: (projection) => transport.call('rebuild', projection ? { projection } : {}),
    cancelRebuild: (projection) => transport.call('cancelRebuild', projection ? { projection } : {}),
    head: () => core.head(),
    close: () => core.close(),
  };
}

/** Opens a data folder as the apps do (worker projectors unless `projectors: 'inline'`) and connects to it. */
export async function openTestCore(options: CoreOptions, session: Session = testSession): Promise<TestCore> {
  return connectTestCore(await openCore(options), session);
}

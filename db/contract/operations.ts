// The operation registry: every call the core answers, declared once with its input and output
// schema. Transports (IPC, the browser bridge, the CLI, an in-memory one for tests) carry only
// call(operation, input) and listen(topic); the core validates input once, against these schemas.
import { z } from 'zod';
import { deadLetterActionSchema, fileRequestSchemas, rebuildRequestSchema, seedOutcomeSchema, seedRequestSchema, verifyReportSchema } from './admin.ts';
import { commandOutcomeSchema, commandRequestSchema } from './commands.ts';
import type { WaybillErrorBody } from './errors.ts';
import { topicSchemas, type PushMessages, type PushTopic } from './push.ts';
import { freshnessSchema, queryOptionsSchema, queryResultSchemas, querySchemas, type Freshness, type QueryName, type QueryResults } from './queries.ts';
import { surfaces, type Surface } from './session.ts';
import { syncFleetSchema, syncJoinRequestSchema, syncNowOutcomeSchema, syncStatusSchema } from './sync.ts';
import { count, position } from './shapes.ts';

export type OperationKind = 'command' | 'query' | 'admin';

export interface OperationSpec<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  kind: OperationKind;
  input: I;
  /** What a successful answer carries besides `ok: true`. */
  output: O;
  /** Where a call may come from; the host refuses the others with FORBIDDEN. */
  surfaces: readonly Surface[];
}

const operation = <I extends z.ZodType, O extends z.ZodType>(kind: OperationKind, input: I, output: O, from: readonly Surface[] = surfaces): OperationSpec<I, O> => ({
  kind,
  input,
  output,
  surfaces: from,
});

/** Parameters left out are `{}` (each query's own defaults then apply). */
const withEmptyDefault = <S extends z.ZodType>(schema: S) => schema.prefault({} as z.input<S> & object);

/** A query's input is its parameters and, to read one's own writes, the position to wait for. */
const query = <Q extends QueryName>(name: Q) =>
  operation(
    'query',
    z.strictObject({ params: withEmptyDefault(querySchemas[name]), options: queryOptionsSchema.optional() }),
    z.strictObject({ data: queryResultSchemas[name], freshness: freshnessSchema }),
  );

const nothing = z.strictObject({});
/** File paths name files on the machine that runs the core: only its own command line may give them. */
const commandLineOnly: readonly Surface[] = ['cli'];

const queryOperations = {
  'parcels.list': query('parcels.list'),
  'parcel.summary': query('parcel.summary'),
  'parcel.timeline': query('parcel.timeline'),
  'parcel.eta': query('parcel.eta'),
  'region.deliveryTimes': query('region.deliveryTimes'),
  'route.current': query('route.current'),
  'depots.board': query('depots.board'),
  'events.list': query('events.list'),
  'event.get': query('event.get'),
  'projections.status': query('projections.status'),
  'conflicts.list': query('conflicts.list'),
} as const satisfies Record<QueryName, OperationSpec>;

export const operations = {
  /** Records one command: validate, decide, append. */
  command: operation('command', commandRequestSchema, commandOutcomeSchema),
  ...queryOperations,
  /** Rebuilds one read model, or every one, while the current files keep serving. */
  rebuild: operation('admin', rebuildRequestSchema, nothing),
  cancelRebuild: operation('admin', rebuildRequestSchema, nothing),
  /** Checks the log (integrity, gaps, guards, hash chain) and every read model against a rebuild. */
  verify: operation('admin', nothing, z.strictObject({ report: verifyReportSchema })),
  deadLetter: operation('admin', deadLetterActionSchema, nothing),
  /** Appends a realistic, deterministic demo history through the command path. */
  seed: operation('admin', seedRequestSchema, seedOutcomeSchema),
  backup: operation('admin', fileRequestSchemas.backup, z.strictObject({ to: z.string(), bytes: count }), commandLineOnly),
  export: operation('admin', fileRequestSchemas.export, z.strictObject({ to: z.string(), events: count }), commandLineOnly),
  import: operation('admin', fileRequestSchemas.import, z.strictObject({ imported: count, skipped: count, head: position }), commandLineOnly),
  /** How this laptop's sync stands: online, waiting to go up, behind the server. */
  'sync.status': operation('admin', nothing, z.strictObject({ status: syncStatusSchema })),
  /** Enrols this data folder with a sync server, with the one-time code its operator gave. */
  'sync.join': operation('admin', syncJoinRequestSchema, z.strictObject({ status: syncStatusSchema })),
  /** Pushes what is waiting, then pulls until caught up. */
  'sync.now': operation('admin', nothing, syncNowOutcomeSchema),
  /** Forgets the server (this folder's events stay). */
  'sync.leave': operation('admin', nothing, z.strictObject({ status: syncStatusSchema })),
  /** Every device enrolled on the server, with how each stands (last seen, pending, clock skew, fork, revoked). */
  'sync.fleet': operation('admin', nothing, syncFleetSchema),
} as const;

export type Operations = typeof operations;
export type OperationName = keyof Operations;
export const operationNames = Object.keys(operations) as OperationName[];
export type OperationInput<N extends OperationName> = z.input<Operations[N]['input']>;
export type ValidOperationInput<N extends OperationName> = z.output<Operations[N]['input']>;
/** An empty strict object infers as Record<string, never>, which `{ ok: true } & …` could never be: it is `{}` here. */
type WithoutIndex<T> = string extends keyof T ? Record<never, never> : T;
export type OperationOutput<N extends OperationName> = WithoutIndex<z.output<Operations[N]['output']>>;

export type Failure = { ok: false; error: WaybillErrorBody };
/** Every operation answers with a value: `ok: true` and its output, or `ok: false` and a typed error. */
export type Answer<Output> = ({ ok: true } & Output) | Failure;
export type OperationAnswer<N extends OperationName> = Answer<OperationOutput<N>>;
/** A query's answer, spelled out (generic code over query names cannot see through OperationAnswer). */
export type QueryResult<Q extends QueryName> = { ok: true; data: QueryResults[Q]; freshness: Freshness } | Failure;

export const isOperationName = (name: unknown): name is OperationName => typeof name === 'string' && Object.hasOwn(operations, name);
export const isPushTopic = (topic: unknown): topic is PushTopic => typeof topic === 'string' && Object.hasOwn(topicSchemas, topic);

/** What every surface talks to the core through: calls with answers, and push topics. */
export interface WaybillTransport {
  call<N extends OperationName>(operation: N, input: OperationInput<N>): Promise<OperationAnswer<N>>;
  listen<T extends PushTopic>(topic: T, listener: (message: PushMessages[T]) => void): () => void;
}
export type CommandResult = OperationAnswer<'command'>;

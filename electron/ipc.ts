// The IPC handler table: one entry per WaybillApi method, derived from the contract. Pure — it
// never imports `electron`, so tests enumerate it with a fake core and fake frames.
import { z } from 'zod';
import {
  deadLetterActionSchema,
  queryNames,
  queryOptionsSchema,
  querySchemas,
  rebuildRequestSchema,
  seedRequestSchema,
  type QueryName,
  type QueryParams,
  type WaybillApi,
  type WaybillErrorBody,
} from '../db/contract.ts';
import { toErrorBody, WaybillError } from '../db/errors.ts';
import { validateCommand, zodIssueToError } from '../db/write/validateCommand.ts';
import { invokeChannels, pushChannel, pushTopics, type InvokeMethod } from './channels.ts';
import type { InvokeEventLike, SenderCheck } from './senderCheck.ts';

/** The core as the shell sees it: everything the renderer may call. */
export type CoreCalls = Omit<WaybillApi, 'subscribe'>;

export type IpcHandler = (event: InvokeEventLike, ...args: unknown[]) => Promise<unknown>;

export interface IpcHandlerEntry {
  method: InvokeMethod;
  channel: string;
  handle: IpcHandler;
}

/** Thrown (so the renderer's promise rejects) when a call comes from anywhere but our window's main frame. */
export class UntrustedSenderError extends Error {
  constructor(readonly method: InvokeMethod) {
    super(`waybill: ${method} refused: the caller is not the Waybill window.`);
    this.name = 'UntrustedSenderError';
  }
}

const optionalQueryOptions = queryOptionsSchema.optional();
const queryNameSchema = z.enum(queryNames as [QueryName, ...QueryName[]]);
const noArguments = z.tuple([]);

function parse<S extends z.ZodType>(schema: S, input: unknown, prefix: string[] = []): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) throw zodIssueToError(result.error, input, prefix);
  return result.data;
}

function arity(method: InvokeMethod, args: readonly unknown[], max: number): void {
  if (args.length > max) throw new WaybillError('VALIDATION', `${method} takes at most ${max} argument${max === 1 ? '' : 's'}.`);
}

type Call = (core: CoreCalls) => Promise<unknown>;

/** Validates a method's arguments (throwing a VALIDATION WaybillError) and returns the core call to make. */
const decoders: Readonly<Record<InvokeMethod, (args: readonly unknown[]) => Call>> = {
  command: (args) => {
    arity('command', args, 1);
    const { request } = validateCommand(args[0]);
    return (core) => core.command(request);
  },
  query: (args) => {
    arity('query', args, 3);
    const name = parse(queryNameSchema, args[0], ['name']);
    const params = parse(querySchemas[name], args[1] ?? {}, ['params']) as QueryParams<typeof name>;
    const options = parse(optionalQueryOptions, args[2], ['options']);
    return (core) => core.query(name, params, options);
  },
  rebuild: (args) => {
    arity('rebuild', args, 1);
    const request = parse(rebuildRequestSchema, args[0] ?? {});
    return (core) => core.rebuild(request);
  },
  cancelRebuild: (args) => {
    arity('cancelRebuild', args, 1);
    const request = parse(rebuildRequestSchema, args[0] ?? {});
    return (core) => core.cancelRebuild(request);
  },
  verify: (args) => {
    parse(noArguments, [...args]);
    return (core) => core.verify();
  },
  deadLetter: (args) => {
    arity('deadLetter', args, 1);
    const request = parse(deadLetterActionSchema, args[0]);
    return (core) => core.deadLetter(request);
  },
  seed: (args) => {
    arity('seed', args, 1);
    const request = parse(seedRequestSchema, args[0]);
    return (core) => core.seed(request);
  },
};

/** Methods whose answer has no `{ ok: false }` shape: a bad call rejects instead. */
const rejectsOnFailure: ReadonlySet<InvokeMethod> = new Set<InvokeMethod>(['verify', 'cancelRebuild']);

function failure(method: InvokeMethod, error: unknown): { ok: false; error: WaybillErrorBody } {
  if (rejectsOnFailure.has(method)) throw new Error(toErrorBody(error).message);
  return { ok: false, error: toErrorBody(error) };
}

export interface IpcHandlerOptions {
  /** Told about every refused call (for the log); never about its arguments. */
  onRefused?: (method: InvokeMethod, reason: 'sender' | 'payload') => void;
}

/** The handler table: check the sender, validate the payload, then call the core; every failure is a value or a rejection, never a crash. */
export function createIpcHandlers(core: CoreCalls, isTrustedSender: SenderCheck, options: IpcHandlerOptions = {}): IpcHandlerEntry[] {
  return (Object.keys(invokeChannels) as InvokeMethod[]).map((method) => ({
    method,
    channel: invokeChannels[method],
    handle: async (event, ...args) => {
      if (!isTrustedSender(event)) {
        options.onRefused?.(method, 'sender');
        throw new UntrustedSenderError(method);
      }
      let call: Call;
      try {
        call = decoders[method](args);
      } catch (error) {
        options.onRefused?.(method, 'payload');
        return failure(method, error);
      }
      try {
        return await call(core);
      } catch (error) {
        return failure(method, error);
      }
    },
  }));
}

/** Forwards every push topic to the window; returns the function that stops forwarding. */
export function forwardPushMessages(subscribe: WaybillApi['subscribe'], send: (channel: string, message: unknown) => void): () => void {
  const stops = pushTopics.map((topic) => subscribe(topic, (message) => send(pushChannel(topic), message)));
  return () => {
    for (const stop of stops) stop();
  };
}

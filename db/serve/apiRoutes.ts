import { z } from 'zod';
import {
  deadLetterActionSchema,
  queryNames,
  queryOptionsSchema,
  querySchemas,
  rebuildRequestSchema,
  seedRequestSchema,
  type QueryName,
  type WaybillApi,
  type WaybillErrorBody,
} from '../contract.ts';
import { toErrorBody } from '../errors.ts';
import { validateCommand } from '../write/validateCommand.ts';

/** One POST route per API operation; the body is JSON and is validated here before the core sees it. */
export type ApiRoute = (api: WaybillApi, body: unknown) => Promise<unknown>;

export class BadRequest extends Error {
  constructor(readonly body: WaybillErrorBody) {
    super(body.message);
  }
}

function parseOrThrow<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const field = issue.path.map(String).join('.');
  const body: WaybillErrorBody = { code: 'VALIDATION', message: `${field || 'request'} ${issue.message}` };
  if (field) body.field = field;
  throw new BadRequest(body);
}

const queryRequestSchema = z.strictObject({
  name: z.enum(queryNames as [QueryName, ...QueryName[]]),
  params: z.unknown(),
  options: queryOptionsSchema.optional(),
});

async function command(api: WaybillApi, body: unknown): Promise<unknown> {
  try {
    const { request } = validateCommand(body);
    return await api.command(request);
  } catch (error) {
    return { ok: false, error: toErrorBody(error) };
  }
}

async function query(api: WaybillApi, body: unknown): Promise<unknown> {
  const request = parseOrThrow(queryRequestSchema, body);
  const params = querySchemas[request.name].safeParse(request.params ?? {});
  if (!params.success) {
    const issue = params.error.issues[0]!;
    const field = issue.path.map(String).join('.');
    return { ok: false, error: { code: 'VALIDATION', message: `${field || 'params'} ${issue.message}`, ...(field ? { field } : {}) } };
  }
  return api.query(request.name, params.data as never, request.options);
}

export const apiRoutes: Readonly<Record<string, ApiRoute>> = {
  '/api/command': command,
  '/api/query': query,
  '/api/rebuild': (api, body) => api.rebuild(parseOrThrow(rebuildRequestSchema, body)),
  '/api/cancel-rebuild': (api, body) => api.cancelRebuild(parseOrThrow(rebuildRequestSchema, body)),
  '/api/verify': (api, body) => {
    parseOrThrow(z.strictObject({}), body);
    return api.verify();
  },
  '/api/dead-letter': (api, body) => api.deadLetter(parseOrThrow(deadLetterActionSchema, body)),
  '/api/seed': (api, body) => api.seed(parseOrThrow(seedRequestSchema, body)),
};

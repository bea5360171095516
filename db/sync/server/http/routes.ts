import type { IncomingMessage, ServerResponse } from 'node:http';
import type pg from 'pg';
import type { z } from 'zod';
import { issueToError } from '../../../contract/issues.ts';
import {
  enrolRequestSchema,
  pullQuerySchema,
  pushRequestSchema,
  type EnrolAnswer,
  type DeviceAnswer,
  type FleetAnswer,
  type PullAnswer,
  type PushAnswer,
  type WireEvent,
} from '../../../contract/syncWire.ts';
import { authenticate, type Visit } from '../auth.ts';
import type { Nudges } from '../nudges.ts';
import type { RateLimiter } from '../rateLimit.ts';
import { SyncRefusal, validationRefusal } from '../refusal.ts';
import { isSkewFlagged } from '../skew.ts';
import { deviceStanding } from '../store/deviceAccess.ts';
import { deviceListing } from '../store/deviceListing.ts';
import { redeemEnrolmentCode } from '../store/enrolment.ts';
import { pullEvents } from '../store/pullEvents.ts';
import { pushEvents } from '../store/pushEvents.ts';
import { readJsonBody } from './requestBody.ts';

/** How often a long-poll looks again on its own, in case a nudge was lost. */
const RECHECK_MS = 1000;

export interface RouteContext {
  pool: pg.Pool;
  nudges: Nudges;
  limiter: RateLimiter;
  clock: () => Date;
  log: (line: string) => void;
  skewThresholdMs: number;
  /** Devices whose clock skew was last past the threshold. */
  skewed: Set<string>;
  /** Aborts when the server closes: long-polls answer at once. */
  closing: AbortSignal;
}

type Route = (request: IncomingMessage, response: ServerResponse, context: RouteContext, url: URL) => Promise<object>;

function parsed<S extends z.ZodType>(schema: S, input: unknown, whole: string): z.infer<S> {
  const result = schema.safeParse(input);
  if (!result.success) throw validationRefusal(issueToError(result.error, input, { whole }));
  return result.data;
}

function limit(context: RouteContext, key: string): void {
  const retryAfterSeconds = context.limiter.take(key);
  if (retryAfterSeconds > 0) {
    throw new SyncRefusal('UNAVAILABLE', `Too many requests: slow down and retry in ${retryAfterSeconds} s.`, { rule: 'rate_limited', retryable: true, status: 429, retryAfterSeconds });
  }
}

async function signedIn(request: IncomingMessage, context: RouteContext): Promise<Visit> {
  const visit = await authenticate(request, context.pool, context.clock());
  limit(context, `device:${visit.device.deviceId}`);
  // Said once when a device's clock drifts past the threshold, not at every request.
  const skewed = isSkewFlagged(visit.skewMs, context.skewThresholdMs);
  if (skewed && !context.skewed.has(visit.device.deviceId)) context.log(`waybill sync: the clock of device ${visit.device.name} (${visit.device.deviceId}) is off by ${visit.skewMs} ms`);
  if (skewed) context.skewed.add(visit.device.deviceId);
  else context.skewed.delete(visit.device.deviceId);
  return visit;
}

/** A batch must be the device's own events, one sequence after another, with text PostgreSQL can store. */
function checkBatch(deviceId: string, events: readonly WireEvent[]): void {
  events.forEach((event, i) => {
    if (event.deviceId !== deviceId) {
      throw new SyncRefusal('FORBIDDEN', `Event ${i} names device ${event.deviceId}: a device pushes only its own events. Nothing was stored.`, {
        field: `events.${i}.deviceId`,
        rule: 'not_your_device',
      });
    }
    if (i > 0 && event.deviceSeq !== events[i - 1]!.deviceSeq + 1) {
      throw new SyncRefusal('VALIDATION', `Event ${i} has deviceSeq ${event.deviceSeq}, not ${events[i - 1]!.deviceSeq + 1}: a batch is consecutive sequences in order.`, {
        field: `events.${i}.deviceSeq`,
        rule: 'batch_out_of_order',
      });
    }
    for (const key of ['streamId', 'type', 'payload', 'metadata'] as const) {
      if (event[key].includes('\u0000')) throw new SyncRefusal('VALIDATION', `events.${i}.${key} holds a NUL character, which cannot be stored.`, { field: `events.${i}.${key}` });
    }
  });
}

const enrol: Route = async (request, _response, context) => {
  limit(context, `address:${request.socket.remoteAddress ?? ''}`);
  const body = parsed(enrolRequestSchema, await readJsonBody(request), 'body');
  const enrolment = await redeemEnrolmentCode(context.pool, body.code, body.deviceId, context.clock());
  context.log(`waybill sync: enrolled device ${enrolment.name} (${enrolment.deviceId})`);
  return { ok: true, ...enrolment } satisfies EnrolAnswer;
};

const push: Route = async (request, _response, context) => {
  const { device } = await signedIn(request, context);
  const body = parsed(pushRequestSchema, await readJsonBody(request), 'body');
  checkBatch(device.deviceId, body.events);
  try {
    return { ok: true, ...(await pushEvents(context.pool, device.deviceId, body.events, context.clock())) } satisfies PushAnswer;
  } catch (error) {
    if (error instanceof SyncRefusal && error.rule === 'fork') context.log(`waybill sync: device ${device.name} (${device.deviceId}) forked: ${error.message}`);
    throw error;
  }
};

const pull: Route = async (request, response, context, url) => {
  await signedIn(request, context);
  const params = parsed(pullQuerySchema, Object.fromEntries(url.searchParams), 'query');
  const deadline = Date.now() + params.wait * 1000;
  const gone = new AbortController();
  response.once('close', () => gone.abort());
  const stop = AbortSignal.any([gone.signal, context.closing]);
  for (;;) {
    const seen = context.nudges.seen;
    const page = await pullEvents(context.pool, params.after, params.limit);
    const left = deadline - Date.now();
    if (page.events.length > 0 || left <= 0 || stop.aborted) return { ok: true, ...page } satisfies PullAnswer;
    await context.nudges.after(seen, Math.min(left, RECHECK_MS), stop);
  }
};

const device: Route = async (request, _response, context) => {
  const { device: signed } = await signedIn(request, context);
  const standing = await deviceStanding(context.pool, signed.deviceId);
  if (!standing) throw new SyncRefusal('FORBIDDEN', 'This device is not enrolled on the sync server.', { rule: 'unauthenticated', status: 401 });
  return { ok: true, ...standing } satisfies DeviceAnswer;
};

/** The office's view of every device; any signed-in device may look (secrets never leave the server). */
const fleet: Route = async (request, _response, context) => {
  await signedIn(request, context);
  return { ok: true, devices: await deviceListing(context.pool, context.skewThresholdMs) } satisfies FleetAnswer;
};

/** Every route of the wire (db/contract/syncWire.ts), by method and path. */
export const routes: Readonly<Record<string, Route>> = {
  'POST /v1/enrol': enrol,
  'POST /v1/push': push,
  'GET /v1/pull': pull,
  'GET /v1/device': device,
  'GET /v1/fleet': fleet,
};

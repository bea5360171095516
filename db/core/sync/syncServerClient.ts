import type { z } from 'zod';
import {
  DEVICE_HEAD_HEADER,
  deviceAnswerSchema,
  enrolAnswerSchema,
  fleetAnswerSchema,
  pullAnswerSchema,
  pushAnswerSchema,
  SENT_AT_HEADER,
  type DeviceAnswer,
  type EnrolAnswer,
  type FleetAnswer,
  type PullAnswer,
  type PushAnswer,
  type WireEvent,
} from '../../contract/syncWire.ts';
import { WaybillError } from '../../contract/waybillError.ts';
import type { Membership } from './syncFile.ts';

/** How long a request may take beyond a long-poll's own wait before it counts as unreachable. */
const REQUEST_DEADLINE_MS = 30_000;

async function request<S extends z.ZodType>(server: string, path: string, init: RequestInit & { waitSeconds?: number }, schema: S): Promise<z.output<S>> {
  const url = new URL(path, server);
  // One controller per request, let go of at its end: the background loop's long-lived stop signal keeps no listener per request.
  const controller = new AbortController();
  const deadline = setTimeout(() => controller.abort(new Error('deadline')), REQUEST_DEADLINE_MS + (init.waitSeconds ?? 0) * 1000);
  const stop = () => controller.abort(init.signal?.reason);
  init.signal?.addEventListener('abort', stop, { once: true });
  if (init.signal?.aborted) stop();
  try {
    return await exchange(server, url, { ...init, signal: controller.signal }, schema);
  } finally {
    clearTimeout(deadline);
    init.signal?.removeEventListener('abort', stop);
  }
}

async function exchange<S extends z.ZodType>(server: string, url: URL, init: RequestInit, schema: S): Promise<z.output<S>> {
  let response: Response;
  try {
    response = await fetch(url, init);
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).name;
    throw new WaybillError('UNAVAILABLE', `The sync server at ${server} cannot be reached (${cause}); this laptop keeps working and syncs when it can.`, { retryable: true, cause: error });
  }
  let body: unknown;
  try {
    body = await response.json();
  } catch (error) {
    throw new WaybillError('UNAVAILABLE', `The sync server at ${server} answered ${response.status} without a Waybill answer; is that the right address?`, { retryable: true, cause: error });
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw new WaybillError('UNAVAILABLE', `The sync server at ${server} answered in a form this Waybill does not know (${response.status}); it may be a different version.`, { retryable: true });
  return parsed.data;
}

/** Enrols a device with the one-time code (no credentials yet: the code is the credential). */
export function enrol(server: string, code: string, deviceId: string): Promise<EnrolAnswer> {
  return request(server, '/v1/enrol', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code, deviceId }) }, enrolAnswerSchema);
}

/** The sync server as one enrolled device talks to it: every request authenticated, stamped with the device's head and clock. */
export class SyncServerClient {
  constructor(
    private readonly membership: Membership,
    private readonly deviceHead: () => number,
    private readonly now: () => string = () => new Date().toISOString(),
  ) {}

  private headers(): Record<string, string> {
    return {
      authorization: `Bearer ${this.membership.deviceId}:${this.membership.secret}`,
      [DEVICE_HEAD_HEADER]: String(this.deviceHead()),
      [SENT_AT_HEADER]: this.now(),
    };
  }

  push(events: readonly WireEvent[], signal?: AbortSignal): Promise<PushAnswer> {
    const init: RequestInit = { method: 'POST', headers: { ...this.headers(), 'content-type': 'application/json' }, body: JSON.stringify({ events }) };
    return request(this.membership.server, '/v1/push', signal ? { ...init, signal } : init, pushAnswerSchema);
  }

  pull(after: number, limit: number, waitSeconds: number, signal?: AbortSignal): Promise<PullAnswer> {
    const path = `/v1/pull?after=${after}&limit=${limit}&wait=${waitSeconds}`;
    return request(this.membership.server, path, { headers: this.headers(), waitSeconds, ...(signal ? { signal } : {}) }, pullAnswerSchema);
  }

  device(): Promise<DeviceAnswer> {
    return request(this.membership.server, '/v1/device', { headers: this.headers() }, deviceAnswerSchema);
  }

  /** Every device enrolled on the server and how it stands. */
  fleet(signal?: AbortSignal): Promise<FleetAnswer> {
    return request(this.membership.server, '/v1/fleet', { headers: this.headers(), ...(signal ? { signal } : {}) }, fleetAnswerSchema);
  }
}

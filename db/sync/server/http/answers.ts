import type { ServerResponse } from 'node:http';
import type { SyncRefusal as SyncRefusalBody } from '../../../contract/syncWire.ts';
import { toErrorBody, WaybillError } from '../../../contract/waybillError.ts';
import { SyncRefusal } from '../refusal.ts';

/** Sends one JSON answer. */
export function sendJson(response: ServerResponse, status: number, body: object, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': String(Buffer.byteLength(text)), 'cache-control': 'no-store', ...headers });
  response.end(text);
}

/** Anything a route threw as the refusal it is answered with: its status, and the body every answer schema of syncWire.ts accepts. */
export function refusalOf(error: unknown): { status: number; body: SyncRefusalBody; headers: Record<string, string> } {
  const refusal =
    error instanceof SyncRefusal
      ? error
      : error instanceof WaybillError
        ? new SyncRefusal(error.code, error.message, { ...(error.field ? { field: error.field } : {}), ...(error.rule ? { rule: error.rule } : {}), retryable: error.retryable })
        : dataException(error);
  const body: SyncRefusalBody = { ok: false, error: refusal ? refusal.toBody() : toErrorBody(error) };
  if (refusal?.expected !== undefined) body.expected = refusal.expected;
  const headers: Record<string, string> = {};
  if (refusal?.retryAfterSeconds !== undefined) headers['retry-after'] = String(refusal.retryAfterSeconds);
  return { status: refusal?.status ?? 500, body, headers };
}

/** PostgreSQL refusing a value (SQLSTATE class 22: a NUL character, say) is the request's fault, not the server's. */
function dataException(error: unknown): SyncRefusal | null {
  const code = (error as { code?: unknown })?.code;
  if (typeof code !== 'string' || !code.startsWith('22')) return null;
  return new SyncRefusal('VALIDATION', `PostgreSQL cannot store a value of this request (${(error as Error).message}); nothing was stored.`);
}

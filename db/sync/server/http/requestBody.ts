import type { IncomingMessage } from 'node:http';
import { MAX_REQUEST_BYTES } from '../../../contract/syncWire.ts';
import { SyncRefusal } from '../refusal.ts';

const tooLarge = () =>
  new SyncRefusal('VALIDATION', `The request body is larger than ${MAX_REQUEST_BYTES} bytes: send fewer events per push.`, { rule: 'too_large', status: 413 });

const cutOff = () => new SyncRefusal('VALIDATION', 'The request body ended before its declared length (the connection was cut): nothing was stored.', { rule: 'incomplete_body' });

/** Refuses a body declared larger than the limit before anything else is done with the request. */
export function refuseDeclaredTooLarge(request: IncomingMessage, limit = MAX_REQUEST_BYTES): void {
  if (Number(request.headers['content-length']) > limit) throw tooLarge();
}

/**
 * The body as JSON. A body declared or found larger than the limit is refused as soon as that is
 * known, without reading the rest (the answer closes the connection).
 */
export function readJsonBody(request: IncomingMessage, limit = MAX_REQUEST_BYTES): Promise<unknown> {
  return new Promise((resolve, reject) => {
    refuseDeclaredTooLarge(request, limit);
    const chunks: Buffer[] = [];
    let size = 0;
    const stop = (error: Error) => {
      request.off('data', onData).off('end', onEnd).off('error', stop);
      reject(error);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) stop(tooLarge());
      else chunks.push(chunk);
    };
    const onEnd = () => {
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      } catch {
        reject(new SyncRefusal('VALIDATION', 'The request body is not valid JSON.', { field: 'body', rule: 'malformed_json' }));
      }
    };
    // Cut off while the route was busy (authenticating): Node told no one, and no event will come.
    if (request.destroyed && !request.complete) return stop(cutOff());
    request.on('data', onData).on('end', onEnd).on('error', stop);
  });
}

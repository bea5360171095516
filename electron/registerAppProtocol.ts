// Serves dist/renderer on app://waybill with the security headers; nothing is loaded from file://.
import { protocol } from 'electron';
import { readFile } from 'node:fs/promises';
import { appScheme } from './appOrigin.ts';
import { resolveAppFile } from './appProtocol.ts';
import { securityHeaders } from './contentSecurity.ts';

/** Must run before the app is ready. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: appScheme, privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } },
  ]);
}

export function serveRenderer(rendererDir: string): void {
  protocol.handle(appScheme, async (request) => {
    const answer = resolveAppFile(request.url, request.method, rendererDir);
    if (answer.status !== 200) return new Response(null, { status: answer.status, headers: securityHeaders });
    try {
      const body = await readFile(answer.file);
      const headers = { ...securityHeaders, 'content-type': answer.contentType, 'cache-control': 'no-cache' };
      return new Response(request.method === 'HEAD' ? null : body, { status: 200, headers });
    } catch {
      return new Response(null, { status: 404, headers: securityHeaders });
    }
  });
}

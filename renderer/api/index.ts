import type { WaybillTransport } from '../../db/contract/index.ts';
import type { ConsoleApi } from './consoleApi.ts';
import { createHttpApi } from './httpApi.ts';

declare global {
  interface Window {
    /** Set by the Electron preload; absent in browser mode. */
    waybill?: WaybillTransport;
  }
}

/**
 * Browser mode: the host writes the token into the page (<meta name="waybill-token">); the printed
 * URL carries it too. Take it out of the address bar so it is not copied along with a link.
 */
export function takeToken(document: Document, location: Location, history: History): string {
  const url = new URL(location.href);
  const fromUrl = url.searchParams.get('token');
  if (fromUrl) {
    url.searchParams.delete('token');
    history.replaceState(history.state, '', url.pathname + url.search + url.hash);
  }
  return document.querySelector<HTMLMetaElement>('meta[name="waybill-token"]')?.content || fromUrl || '';
}

/** The one API object the app uses: Electron's preload bridge when present, else the browser host over HTTP. */
export function resolveApi(): ConsoleApi {
  // Electron's IPC reaches the core in the same app; it cannot drop while the window lives.
  const desktop = window.waybill;
  if (desktop) return { call: desktop.call, listen: desktop.listen, watchConnection: (listener) => (listener(true), () => undefined) };
  const token = takeToken(document, window.location, window.history);
  return createHttpApi({ baseUrl: window.location.origin, token });
}

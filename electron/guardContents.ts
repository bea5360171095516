// Applies the navigation and permission policy to every web contents and to the session.
import type { Session, WebContents } from 'electron';
import { isAppUrl } from './appOrigin.ts';
import { mayNavigate, mayUsePermission, windowOpenAction } from './navigationPolicy.ts';

export function guardContents(contents: WebContents): void {
  const refuse = (event: { preventDefault(): void }, url: string) => {
    if (!mayNavigate(url)) event.preventDefault();
  };
  contents.on('will-navigate', (event) => refuse(event, event.url));
  contents.on('will-frame-navigate', (event) => refuse(event, event.url));
  contents.on('will-redirect', (event) => refuse(event, event.url));
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => windowOpenAction);
}

export function guardSession(session: Session): void {
  session.setPermissionRequestHandler((_contents, permission, callback) => callback(mayUsePermission(permission)));
  session.setPermissionCheckHandler((_contents, permission) => mayUsePermission(permission));
  session.setDevicePermissionHandler(() => false);
  // Defence in depth behind the CSP: the renderer has no reason to reach any network address.
  session.webRequest.onBeforeRequest({ urls: ['*://*/*'] }, (details, callback) => callback({ cancel: !isAppUrl(details.url) }));
}

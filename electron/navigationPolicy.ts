// What a page may do beyond showing itself: nothing. Pure decisions, wired up in guardContents.ts.
import { isAppUrl } from './appOrigin.ts';

/** In-app navigation stays on app://waybill; everything else (links, redirects, drag-and-drop) is refused. */
export function mayNavigate(url: string): boolean {
  return isAppUrl(url);
}

/** `window.open` and target=_blank never open a window. */
export const windowOpenAction = { action: 'deny' } as const;

/** Camera, notifications, clipboard, HID, serial, …: the console needs none of them. */
export function mayUsePermission(_permission: string): boolean {
  return false;
}

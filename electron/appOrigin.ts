// Where the renderer lives: a privileged standard scheme served from dist/renderer, never file://.
export const appScheme = 'app';
export const appHost = 'waybill';
export const appOrigin = `${appScheme}://${appHost}`;
export const appEntryUrl = `${appOrigin}/index.html`;

/** True for `app://waybill/…` and nothing else (no other host, port or credentials). */
export function isAppUrl(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  return parsed.protocol === `${appScheme}:` && parsed.host === appHost && parsed.username === '' && parsed.password === '';
}

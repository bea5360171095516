/** Debian's Chromium, which the browser tests drive (never a downloaded one); WAYBILL_CHROMIUM names another. */
export const chromiumPath = process.env.WAYBILL_CHROMIUM ?? '/usr/bin/chromium';

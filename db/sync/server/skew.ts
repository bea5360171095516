/** A device clock further off than this (either way) is flagged: its recordedAt times are suspect, though they never order anything. */
export const DEFAULT_SKEW_THRESHOLD_MS = 2 * 60_000;

export const isSkewFlagged = (skewMs: number | null, thresholdMs: number): boolean => skewMs !== null && Math.abs(skewMs) > thresholdMs;

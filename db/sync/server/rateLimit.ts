/** Requests per second each device (or, for enrolment, each address) may make, and how many at once after a quiet spell. */
export interface RateLimitOptions {
  perSecond: number;
  burst: number;
}

export const DEFAULT_RATE_LIMIT: RateLimitOptions = { perSecond: 50, burst: 100 };

export interface RateLimiter {
  /** Takes one token from `key`'s bucket: 0 when there was one, else the seconds until there is. */
  take(key: string): number;
}

/** A token bucket per key, in this process (each server process limits on its own). */
export function createRateLimiter(options: RateLimitOptions, clock: () => number = Date.now): RateLimiter {
  const buckets = new Map<string, { tokens: number; at: number }>();
  const refill = (bucket: { tokens: number; at: number }, now: number) => {
    bucket.tokens = Math.min(options.burst, bucket.tokens + ((now - bucket.at) / 1000) * options.perSecond);
    bucket.at = now;
  };
  return {
    take(key) {
      const now = clock();
      if (buckets.size > 10_000) {
        // Forget full buckets: they are what a new one would be.
        for (const [name, bucket] of buckets) {
          refill(bucket, now);
          if (bucket.tokens >= options.burst) buckets.delete(name);
        }
      }
      const bucket = buckets.get(key) ?? { tokens: options.burst, at: now };
      buckets.set(key, bucket);
      refill(bucket, now);
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        return 0;
      }
      return Math.max(1, Math.ceil((1 - bucket.tokens) / options.perSecond));
    },
  };
}

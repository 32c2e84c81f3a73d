/**
 * Retry settings for tests: the real retry path (two retries, backoff, jitter) in milliseconds instead of seconds,
 * so a test of a 503 or a dropped connection stays fast. Frozen, so no test can change it for the others.
 */
export const FAST_RETRY: Readonly<{ retries: number; minDelayMs: number; maxDelayMs: number }> = Object.freeze({
  retries: 2,
  minDelayMs: 1,
  maxDelayMs: 5,
});

import type { CachedToken } from "@x/core";

/**
 * The in-process tier: a bounded map with per-entry expiry, like core's memoryTokenStore but
 * synchronous, so that a hit resolves the store's `get` without an extra promise hop (that hop
 * alone halved hit throughput against the memory store in bench/token-store-redis.bench.mjs).
 */
export interface LocalTier {
  get(key: string): CachedToken | undefined;
  set(key: string, token: CachedToken, ttlMs: number): void;
  /** With `onlyIfAccessToken`, deletes only if the entry is still that token. */
  delete(key: string, onlyIfAccessToken?: string): void;
}

export function createLocalTier(maxEntries: number): LocalTier {
  const entries = new Map<string, { token: CachedToken; expiresAt: number }>();
  return {
    get(key) {
      const entry = entries.get(key);
      if (!entry) return undefined;
      if (entry.expiresAt > Date.now()) return entry.token;
      entries.delete(key);
      return undefined;
    },
    set(key, token, ttlMs) {
      entries.delete(key); // re-insert so that the oldest write is evicted first
      entries.set(key, { token, expiresAt: Date.now() + ttlMs });
      if (entries.size > maxEntries) entries.delete(entries.keys().next().value as string);
    },
    delete(key, onlyIfAccessToken) {
      if (onlyIfAccessToken === undefined || entries.get(key)?.token.accessToken === onlyIfAccessToken)
        entries.delete(key);
    },
  };
}

import { requireKind } from "../security.js";
import type { CachedToken, TokenStore } from "../token-cache.js";

export interface MemoryTokenStoreOptions {
  /** Oldest entries are dropped past this count, so a cache keyed by user cannot grow forever. Default 10 000. */
  maxEntries?: number;
  now?: () => number;
}

/** The default in-process store: a bounded map with per-entry TTL. */
export function memoryTokenStore(options: MemoryTokenStoreOptions = {}): TokenStore {
  requireKind(options, "object", "memoryTokenStore options");
  const maxEntries = options.maxEntries ?? 10_000;
  const now = options.now ?? Date.now;
  const entries = new Map<string, { token: CachedToken; expiresAt: number }>();

  return {
    async get(key) {
      const entry = entries.get(key);
      if (!entry || entry.expiresAt > now()) return entry?.token;
      entries.delete(key); // expired
      return undefined;
    },
    async set(key, token, ttlMs) {
      entries.delete(key); // re-insert so insertion order tracks recency of writes
      entries.set(key, { token, expiresAt: now() + ttlMs });
      while (entries.size > maxEntries) entries.delete(entries.keys().next().value as string); // the oldest
    },
    async delete(key, onlyIfAccessToken) {
      if (onlyIfAccessToken !== undefined && entries.get(key)?.token.accessToken !== onlyIfAccessToken) return;
      entries.delete(key);
    },
  };
}

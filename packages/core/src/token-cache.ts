import type { EventHandler, Logger } from "./events.js";
import { ignoreEvents, silentLogger } from "./events.js";
import { AuthenticationError } from "./errors.js";
import { hasControlBreak, requireKind } from "./security.js";
import { memoryTokenStore } from "./stores/memory.js";

/** A token as the cache keeps it. Only what is needed to use and renew it: no client secret. */
export interface CachedToken {
  accessToken: string;
  /** Epoch milliseconds, on this machine's clock. */
  expiresAt: number;
  /** When this machine received it, epoch ms; the lifetime is `expiresAt - issuedAt`. */
  issuedAt: number;
  /** The credential kind, e.g. "client_token". */
  kind: string;
  refreshToken?: string;
}

/** What a token endpoint gave: the cache turns it into a `CachedToken`. */
export interface TokenGrant {
  accessToken: string;
  /** Lifetime in ms from now. Required unless `expiresAt` is given. */
  expiresInMs?: number;
  /** Absolute expiry, epoch ms, when the provider gives one (e.g. a JWT `exp`). */
  expiresAt?: number;
  refreshToken?: string;
}

/** A held cross-process lock; `release` frees it only if this holder still owns it. */
export interface TokenLock {
  release(): Promise<void>;
}

/**
 * Where tokens live. Async so that a shared store (Redis) implements the same interface as
 * the in-memory default without the cache changing.
 */
export interface TokenStore {
  get(key: string): Promise<CachedToken | undefined>;
  /** Stores the token for `ttlMs` (after which `get` must not return it). */
  set(key: string, token: CachedToken, ttlMs: number): Promise<void>;
  /**
   * Deletes the token. With `onlyIfAccessToken`, deletes it only if it is still that token
   * (compare and delete), so a newer token fetched meanwhile by someone else survives.
   */
  delete(key: string, onlyIfAccessToken?: string): Promise<void>;
  /**
   * Optional cross-process single flight: resolves with a lock if this process may fetch
   * the token for `key`, or `undefined` if another holder has it. Locks expire after `ttlMs`
   * so a crashed holder cannot block the fleet.
   */
  lock?(key: string, ttlMs: number): Promise<TokenLock | undefined>;
}

/** Who is asking: used for events and logs, never part of the key. */
export interface TokenRequestInfo {
  provider: string;
  kind: string;
  emit?: EventHandler;
  logger?: Logger;
}

export type InvalidationReason = "rejected" | "manual" | "revoked";

/**
 * Fetches a new token; `previous` is the expiring or rejected one (for refresh_token grants).
 * `signal` fires when every call waiting for this token has left (aborted or past its deadline):
 * pass it to the token request.
 */
export type TokenFetcher = (previous: CachedToken | undefined, signal: AbortSignal) => Promise<TokenGrant>;

export interface TokenCache {
  readonly store: TokenStore;
  /**
   * Returns a valid token for `key`, calling `fetchToken` only when none is cached or the
   * cached one is within the refresh margin. Concurrent callers share one fetch. A caller whose
   * `signal` fires leaves at once with its reason; the shared fetch goes on for the others, and
   * is aborted only when every caller that passed a signal has left and none without one waits.
   */
  get(key: string, fetchToken: TokenFetcher, info: TokenRequestInfo, signal?: AbortSignal): Promise<CachedToken>;
  /**
   * Drops the token for `key`. With `rejectedAccessToken`, only if the cache still holds
   * that token: a newer one fetched meanwhile by another request is kept.
   */
  invalidate(
    key: string,
    info: TokenRequestInfo,
    rejectedAccessToken?: string,
    reason?: InvalidationReason,
  ): Promise<void>;
  /**
   * The cached token, fresh or not, without fetching. A failing store reads as no token (logged
   * as a warning through `info`), as everywhere in the cache: `revoke()` still drops the entry.
   */
  peek(key: string, info?: TokenRequestInfo): Promise<CachedToken | undefined>;
  /**
   * The cached token if it is fresh (outside the refresh margin), else `undefined`, without
   * fetching: the hit path of an auth plugin, which then needs no fetcher built for the call.
   */
  fresh(key: string, info: TokenRequestInfo): Promise<CachedToken | undefined>;
}

export interface TokenCacheOptions {
  /** Defaults to `memoryTokenStore()`. */
  store?: TokenStore;
  /**
   * Refresh a token this long before it expires, so that a request in flight never carries
   * a token that dies on the way. Capped at 10% of the token's lifetime so short-lived
   * tokens are still used. Default 30 000.
   */
  refreshMarginMs?: number;
  /** How long a process that did not get the cross-process lock waits for the holder. Default 5 000. */
  lockWaitMs?: number;
  /** Lock lifetime for stores that support `lock`. Default 10 000. */
  lockTtlMs?: number;
  /** Clock, for tests. */
  now?: () => number;
}

/** Tokens whose provider says "never expires" are kept this long, then fetched again. */
const NEVER_EXPIRES_MS = 24 * 60 * 60 * 1000;
/** A refresh token outlives its access token; keep the entry this much longer so it can be used. */
const REFRESH_TOKEN_GRACE_MS = 60 * 60 * 1000;

export function createTokenCache(options: TokenCacheOptions = {}): TokenCache {
  requireKind(options, "object", "createTokenCache options");
  const store = options.store ?? memoryTokenStore();
  const refreshMarginMs = options.refreshMarginMs ?? 30_000;
  const lockWaitMs = options.lockWaitMs ?? 5_000;
  const lockTtlMs = options.lockTtlMs ?? 10_000;
  const now = options.now ?? Date.now;
  const inFlight = new Map<string, Flight>();

  function isFresh(token: CachedToken): boolean {
    const lifetime = token.expiresAt - token.issuedAt;
    const margin = Math.min(refreshMarginMs, lifetime * 0.1);
    return now() < token.expiresAt - margin;
  }

  // A broken shared store (Redis down) must never fail a request: a failed read is a miss,
  // a failed write or lock only costs sharing.
  const storeFailed = (operation: string, logger: Logger, error: unknown) =>
    logger.warn(`token store ${operation} failed`, { error: String(error) });
  async function safely<T>(operation: string, logger: Logger, run: () => Promise<T>): Promise<T | undefined> {
    try {
      return await run();
    } catch (error) {
      storeFailed(operation, logger, error);
      return undefined;
    }
  }

  async function renew(
    key: string,
    previous: CachedToken | undefined,
    fetchToken: TokenFetcher,
    info: TokenRequestInfo,
    signal: AbortSignal,
  ): Promise<CachedToken> {
    const logger = info.logger ?? silentLogger;
    const fetchAndStore = async (previous: CachedToken | undefined) => {
      const started = now();
      const token = toCachedToken(await fetchToken(previous, signal), info, now());
      const ttl = token.expiresAt - now() + (token.refreshToken ? REFRESH_TOKEN_GRACE_MS : 0);
      await safely("set", logger, () => store.set(key, token, Math.max(1, ttl)));
      info.emit?.({
        type: previous ? "token.refreshed" : "token.fetched",
        provider: info.provider,
        kind: info.kind,
        durationMs: now() - started,
        expiresInMs: token.expiresAt - now(),
      });
      return token;
    };
    // What another process stored meanwhile; usable if fresh and not the token being replaced.
    const stored = () => safely("get", logger, () => store.get(key));
    const usable = (token: CachedToken | undefined) =>
      token && isFresh(token) && token.accessToken !== previous?.accessToken ? token : undefined;

    // Re-read before fetching: a caller whose miss was read just before another renewal stored
    // its token must take that token, not start a second renewal.
    if (!store.lock) return usable(await stored()) ?? fetchAndStore(previous);
    let lock: TokenLock | undefined;
    try {
      lock = await store.lock(key, lockTtlMs);
    } catch (error) {
      storeFailed("lock", logger, error);
      return fetchAndStore(previous);
    }
    if (lock) {
      try {
        const current = await stored();
        return usable(current) ?? (await fetchAndStore(current ?? previous));
      } finally {
        await safely("unlock", logger, () => lock.release());
      }
    }
    // Someone else holds the lock: wait for their token, then fall back to fetching ourselves
    // so that a crashed holder costs at most `lockWaitMs`, never a deadlock.
    // Look first: a store whose `lock` waits for the holder returns once the token is stored.
    const deadline = now() + lockWaitMs;
    for (let delay = 10; ; delay = Math.min(delay * 2, 250)) {
      signal.throwIfAborted(); // everyone left: stop waiting
      const current = usable(await stored());
      if (current) return current;
      if (now() >= deadline) break;
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
    logger.warn("token lock wait timed out", { provider: info.provider, kind: info.kind });
    return fetchAndStore(previous);
  }

  // The hot path: one await, and nothing allocated on a hit unless someone listens for events.
  async function read(key: string, info: TokenRequestInfo | undefined): Promise<CachedToken | undefined> {
    try {
      return await store.get(key);
    } catch (error) {
      storeFailed("get", info?.logger ?? silentLogger, error);
      return undefined;
    }
  }
  function hit(token: CachedToken, info: TokenRequestInfo): CachedToken {
    if (info.emit && info.emit !== ignoreEvents)
      info.emit({ type: "token.cache_hit", provider: info.provider, kind: info.kind });
    return token;
  }

  return {
    store,
    async get(key, fetchToken, info, signal) {
      const cached = await read(key, info);
      if (cached && isFresh(cached)) return hit(cached, info);
      signal?.throwIfAborted();
      let flight = inFlight.get(key);
      if (!flight) {
        const controller = new AbortController();
        const forget = () => inFlight.get(key) === created && inFlight.delete(key);
        const created: Flight = {
          waiting: 0,
          promise: renew(key, cached, fetchToken, info, controller.signal).finally(forget),
          // Forgotten at once, so a caller arriving after everyone left starts a fetch of its own.
          abandon(reason) {
            forget();
            controller.abort(reason);
          },
        };
        created.promise.catch(() => {}); // the waiters handle it; after all left, nobody does
        inFlight.set(key, (flight = created));
      }
      return join(flight, signal);
    },
    async fresh(key, info) {
      const cached = await read(key, info);
      return cached && isFresh(cached) ? hit(cached, info) : undefined;
    },
    async invalidate(key, info, rejectedAccessToken, reason = rejectedAccessToken ? "rejected" : "manual") {
      await safely("delete", info.logger ?? silentLogger, () => store.delete(key, rejectedAccessToken));
      info.emit?.({ type: "token.invalidated", provider: info.provider, kind: info.kind, reason });
    },
    peek: read,
  };
}

/** One token fetch shared by every caller that asked for the key meanwhile. */
interface Flight {
  promise: Promise<CachedToken>;
  /** Aborts the fetch: every caller left. */
  abandon(reason: unknown): void;
  /** Callers still waiting; a caller without a signal never leaves, so it counts for good. */
  waiting: number;
}

/** Waits for the shared fetch, or leaves it when `signal` fires; the last to leave aborts it. */
function join(flight: Flight, signal: AbortSignal | undefined): Promise<CachedToken> {
  flight.waiting++;
  if (!signal) return flight.promise;
  return new Promise((resolve, reject) => {
    const leave = () => {
      if (--flight.waiting === 0) flight.abandon(signal.reason);
      reject(signal.reason);
    };
    signal.addEventListener("abort", leave, { once: true });
    flight.promise.then(
      (token) => {
        signal.removeEventListener("abort", leave);
        resolve(token);
      },
      (error: unknown) => {
        signal.removeEventListener("abort", leave);
        reject(error);
      },
    );
  });
}

// Fetchers are user code (custom plugins): check what they return, as for a token endpoint.
function toCachedToken(grant: TokenGrant, info: TokenRequestInfo, issuedAt: number): CachedToken {
  const expiresAt =
    grant?.expiresAt ?? issuedAt + (grant?.expiresInMs === 0 ? NEVER_EXPIRES_MS : (grant?.expiresInMs ?? NaN));
  if (typeof grant?.accessToken !== "string" || grant.accessToken === "" || !(expiresAt > issuedAt)) {
    throw new AuthenticationError(
      `fetchToken (${info.kind}) must return accessToken and a positive expiresInMs or expiresAt.`,
      {
        provider: info.provider,
        code: "INVALID_TOKEN_RESPONSE",
      },
    );
  }
  // A token goes into a header: a line break would fail every send with a TypeError quoting it.
  if (hasControlBreak(grant.accessToken))
    throw new AuthenticationError(
      `The ${info.kind} issued by ${info.provider} contains a line break or NUL character, so it cannot be sent; ` +
        `check the token URL.`,
      { provider: info.provider, code: "INVALID_TOKEN_RESPONSE" },
    );
  const token: CachedToken = { accessToken: grant.accessToken, expiresAt, issuedAt, kind: info.kind };
  if (grant.refreshToken) token.refreshToken = grant.refreshToken;
  return token;
}

/**
 * The cache key of a credential: `<provider>:<kind>:<sha-256 of the identity>`. The identity
 * (client id, user name, ...) is hashed so that neither it nor any secret is readable in a
 * shared store; include every value that distinguishes one credential from another.
 */
export async function tokenCacheKey(provider: string, kind: string, identity: readonly string[]): Promise<string> {
  requireKind([provider, kind], "array of strings", "tokenCacheKey(provider, kind)");
  requireKind(identity, "array of strings", "identity");
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(JSON.stringify(identity)));
  const hex = Array.from(new Uint8Array(digest, 0, 16), (byte) => byte.toString(16).padStart(2, "0")).join("");
  return `${provider}:${kind}:${hex}`;
}

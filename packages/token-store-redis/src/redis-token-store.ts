import { ConfigurationError, requirePositiveNumber, requireString, silentLogger } from "@x/core";
import type { CachedToken, Logger, TokenLock, TokenStore } from "@x/core";
import type { Redis } from "ioredis";
import { createLocalTier } from "./local-tier.js";
import { UNAVAILABLE, createOutageGuard } from "./outage.js";
import { DELETE_TOKEN, GET_WITH_TTL, LOCK_STEP, RELEASE_LOCK, SET_AND_PUBLISH } from "./scripts.js";
import { parseToken, serializeToken } from "./serialize.js";

export interface RedisTokenStoreOptions {
  /**
   * An ioredis client (`new Redis(url)`); the store never closes it. `rediss://` URLs and `tls` options work as usual.
   */
  client: Redis;
  /**
   * The connection that listens for invalidations (a subscribed connection can send no other
   * command). Default: `client.duplicate()`, created and closed by the store.
   */
  subscriber?: Redis;
  /**
   * Prefix of every key and of the invalidation channel; give each app or environment its own. Default `"x:tokens:"`.
   */
  prefix?: string;
  /**
   * Lifetime of the fetch lock; overrides the token cache's `lockTtlMs`
   * when set. A crashed holder blocks the fleet at most this long.
   */
  lockTtlMs?: number;
  /**
   * How long `lock` waits for another process's fetch before giving up (the
   * cache then polls, then fetches itself). Default: lock ttl + 1 000.
   */
  lockWaitMs?: number;
  /** A Redis command slower than this counts as an outage. Default 250. */
  commandTimeoutMs?: number;
  /** During an outage, how often Redis is probed with PING. Default 1 000. */
  probeIntervalMs?: number;
  /** Keep an in-process copy of tokens read from Redis, so a hit costs no round trip. Default true. */
  localTier?: boolean;
  /**
   * Upper bound on how long an in-process copy is used without reading
   * Redis again, should an invalidation message be lost. Default 30 000.
   */
  localTtlMs?: number;
  /** Bound of the in-process tier. Default 10 000 entries. */
  localMaxEntries?: number;
  /** Receives one warning per Redis outage and one info line when it ends. Default: silent. */
  logger?: Logger;
}

export interface RedisTokenStore extends TokenStore {
  lock(key: string, ttlMs: number): Promise<TokenLock | undefined>;
  /** `"shared"` while Redis answers, `"local"` during an outage (tokens cached in this process only). */
  readonly mode: "shared" | "local";
  /**
   * Resolves once the invalidation subscription is live. Until then the store works, but every
   * read goes to Redis, since an in-process copy could miss an invalidation.
   */
  ready(): Promise<void>;
  /** Stops the outage probe and closes the subscriber the store created (not the client you passed). */
  close(): Promise<void>;
}

const noLock: TokenLock = { release: async () => {} };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A `TokenStore` shared by every process that points at the same Redis, for `createTokenCache({ store })`.
 *
 * - Cross-process single flight: `lock` is `SET NX PX` with a random owner, released by a Lua
 *   compare-and-delete; a caller that finds the lock held waits for the holder's token or for the
 *   lock to expire, then takes it over, so a crashed holder costs one lock ttl and one extra fetch.
 * - Two tiers: tokens read from Redis are kept in process, so a hit costs no round trip. Every set
 *   and delete publishes the key on `<prefix>invalidate`; the others drop their copy on receipt.
 * - Outage mode: a failed or slow command switches the store to in-process only (one warning),
 *   answering misses and granting locks locally, until Redis answers a probe again.
 *
 * @example
 * const cache = createTokenCache({ store: redisTokenStore({ client: new Redis(process.env.REDIS_URL) }) });
 * const sfs = createSfsClient({ apiKey, secret, tokenCache: cache });
 */
export function redisTokenStore(options: RedisTokenStoreOptions): RedisTokenStore {
  const client = options?.client;
  if (!client || typeof client.eval !== "function" || typeof client.duplicate !== "function") {
    throw new ConfigurationError(
      "client must be an ioredis client, e.g. redisTokenStore({ client: new Redis(process.env.REDIS_URL) }).",
      { option: "client" },
    );
  }
  const prefix = options.prefix === undefined ? "x:tokens:" : requireString(options.prefix, "prefix");
  const number = (value: number | undefined, option: string, fallback: number) =>
    value === undefined ? fallback : requirePositiveNumber(value, option);
  const fixedLockTtlMs =
    options.lockTtlMs === undefined ? undefined : requirePositiveNumber(options.lockTtlMs, "lockTtlMs");
  const commandTimeoutMs = number(options.commandTimeoutMs, "commandTimeoutMs", 250);
  const probeIntervalMs = number(options.probeIntervalMs, "probeIntervalMs", 1_000);
  const localTtlMs = number(options.localTtlMs, "localTtlMs", 30_000);
  const localMaxEntries = number(options.localMaxEntries, "localMaxEntries", 10_000);
  const useLocalTier = options.localTier ?? true;
  const logger = options.logger ?? silentLogger;

  const channel = `${prefix}invalidate`;
  const tokenKey = (key: string) => `${prefix}token:${key}`;
  const lockKey = (key: string) => `${prefix}lock:${key}`;
  // Messages carry our id so that we do not drop the copy we just wrote ourselves, and for a write the
  // new token's issue time, so that a process already holding that very token (handed over by its
  // lock step before the message arrived) keeps it. A delete sends "-": every copy goes.
  const instanceId = crypto.randomUUID();
  const message = (key: string, written?: CachedToken) => `${instanceId} ${written?.issuedAt ?? "-"} ${key}`;

  const newLocalTier = () => createLocalTier(localMaxEntries);
  let local = newLocalTier();
  const guard = createOutageGuard({
    timeoutMs: commandTimeoutMs,
    probeIntervalMs,
    probe: () => client.ping(),
    logger,
    // Invalidations sent during the outage never reached us: start again from Redis.
    onRecover: () => (local = newLocalTier()),
  });

  // The in-process tier may only be filled from Redis while we are subscribed, otherwise an
  // invalidation could pass unseen; during an outage it is the only cache there is.
  let subscribed = false;
  let onSubscribed: () => void = () => {};
  const subscription = new Promise<void>((resolve) => (onSubscribed = resolve));
  const ownsSubscriber = options.subscriber === undefined;
  const subscriber = useLocalTier ? (options.subscriber ?? client.duplicate()) : undefined;
  if (subscriber) {
    // Our own connection: its errors show up as command failures through the guard already.
    if (ownsSubscriber) subscriber.on("error", () => {});
    subscriber.on("message", (from: string, text: string) => {
      if (from !== channel) return;
      const [sender = "", issuedAt] = text.split(" ", 2);
      if (issuedAt === undefined) return;
      const key = text.slice(sender.length + issuedAt.length + 2);
      if (sender !== instanceId && String(local.get(key)?.issuedAt) !== issuedAt) local.delete(key);
      for (const wake of [...(writeWaiters.get(key) ?? [])]) wake();
    });
    const subscribe = () =>
      subscriber.subscribe(channel).then(
        () => {
          subscribed = true;
          onSubscribed();
        },
        () => {},
      );
    subscriber.on("close", () => {
      // Messages may be lost from now on: forget what we hold rather than serve it stale. Only on
      // losing a live subscription: during an outage the in-process tier is the only cache left.
      if (!subscribed) return;
      subscribed = false;
      local = newLocalTier();
    });
    subscriber.on("ready", () => void subscribe());
    if (subscriber.status === "ready") void subscribe();
  }
  const localMayCache = () => useLocalTier && (subscribed || guard.down);

  // Processes waiting for another's fetch are woken by the message its write publishes, so a
  // waiter gets the token as soon as it is stored instead of at its next poll; the poll stays as
  // the fallback for a lost message.
  const writeWaiters = new Map<string, Set<() => void>>();
  const nextWriteOrTimeout = (key: string, ms: number) =>
    new Promise<void>((resolve) => {
      const waiters = writeWaiters.get(key) ?? new Set<() => void>();
      writeWaiters.set(key, waiters);
      const done = () => {
        clearTimeout(timer);
        waiters.delete(done);
        if (waiters.size === 0) writeWaiters.delete(key);
        resolve();
      };
      const timer = setTimeout(done, ms);
      waiters.add(done);
    });

  async function lockStep(key: string, owner: string, ttlMs: number, snapshot: string) {
    const reply = await guard.run(() => client.eval(LOCK_STEP, 2, tokenKey(key), lockKey(key), owner, ttlMs, snapshot));
    return reply === UNAVAILABLE
      ? undefined
      : (reply as [status: string, snapshot: string, value?: string, pttl?: number]);
  }

  /** A token read from Redis, kept in process for what is left of its Redis ttl (at most `localTtlMs`). */
  function readFromRedis(key: string, raw: unknown, pttl: number): CachedToken | undefined {
    const token = parseToken(raw);
    if (token && pttl > 0 && localMayCache()) local.set(key, token, Math.min(pttl, localTtlMs));
    return token;
  }

  async function readRedis(key: string): Promise<CachedToken | undefined> {
    const reply = await guard.run(() => client.eval(GET_WITH_TTL, 1, tokenKey(key)));
    if (reply === UNAVAILABLE || !Array.isArray(reply)) return undefined;
    return readFromRedis(key, reply[0], reply[1] as number);
  }

  // Locks this process holds, by key: `set` releases its own lock in the same round trip.
  const heldLocks = new Map<string, string>();

  return {
    get mode() {
      return guard.down ? "local" : "shared";
    },
    get(key) {
      // Not async: a hit must cost one resolved promise, like the memory store, and no round trip.
      const hit = local.get(key);
      return hit ? Promise.resolve(hit) : readRedis(key);
    },
    async set(key, token, ttlMs) {
      const ttl = Math.max(1, Math.ceil(ttlMs));
      const owner = heldLocks.get(key);
      const reply = await guard.run(() =>
        client.eval(
          SET_AND_PUBLISH,
          2,
          tokenKey(key),
          lockKey(key),
          serializeToken(token),
          ttl,
          channel,
          message(key, token),
          owner ?? "",
        ),
      );
      if (reply === UNAVAILABLE) return local.set(key, token, ttl);
      if (owner !== undefined && heldLocks.get(key) === owner) heldLocks.delete(key); // the script freed it
      if (localMayCache()) local.set(key, token, Math.min(ttl, localTtlMs));
    },
    async delete(key, onlyIfAccessToken) {
      local.delete(key, onlyIfAccessToken);
      await guard.run(() =>
        client.eval(DELETE_TOKEN, 1, tokenKey(key), onlyIfAccessToken ?? "", channel, message(key)),
      );
    },
    async lock(key, ttlMs) {
      // Redis is down: the cache's in-process single flight is all there is, so this process may fetch.
      if (guard.down) return noLock;
      // Whoever asks for the lock is about to fetch or wait for a fetch: both need Redis's answer,
      // not an in-process copy that the cache already found too old.
      local.delete(key);
      const lockTtlMs = Math.max(1, Math.ceil(fixedLockTtlMs ?? ttlMs));
      const waitMs = options.lockWaitMs ?? lockTtlMs + 1_000;
      const owner = crypto.randomUUID();
      const deadline = Date.now() + waitMs;
      let step = await lockStep(key, owner, lockTtlMs, "*");
      if (!step) return noLock;
      const snapshot = step[1];
      for (let delay = 10; step[0] === "held" && Date.now() < deadline; delay = Math.min(delay * 2, 100)) {
        await (subscribed ? nextWriteOrTimeout(key, delay) : sleep(delay));
        step = await lockStep(key, owner, lockTtlMs, snapshot);
        if (!step) return noLock;
      }
      // The holder's token, read by the step that saw it: the cache's next `get` finds it in process.
      if (step[0] === "changed") readFromRedis(key, step[2], step[3] as number);
      if (step[0] !== "locked") return undefined;
      heldLocks.set(key, owner);
      return {
        async release() {
          // Already freed by `set`, unless the fetch failed or another caller of this process locked again.
          if (heldLocks.get(key) !== owner) return;
          heldLocks.delete(key);
          await guard.run(() => client.eval(RELEASE_LOCK, 1, lockKey(key), owner));
        },
      };
    },
    ready() {
      return useLocalTier ? subscription : Promise.resolve();
    },
    async close() {
      guard.close();
      if (subscriber && ownsSubscriber) subscriber.disconnect();
    },
  };
}

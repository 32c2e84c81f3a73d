import { ConfigurationError, createTokenCache, type CachedToken } from "@x/core";
import { Redis } from "ioredis";
import { afterEach, describe, expect, inject, it } from "vitest";
import { redisTokenStore, type RedisTokenStore } from "../src/index.js";
import { freePort } from "./helpers/redis-server.js";

const url = inject("redisUrl");
const clients: Redis[] = [];
const stores: RedisTokenStore[] = [];

function connect(target = url): Redis {
  const client = new Redis(target, { maxRetriesPerRequest: 1, retryStrategy: () => 50 });
  client.on("error", () => {});
  clients.push(client);
  return client;
}

function store(options: Partial<Parameters<typeof redisTokenStore>[0]> = {}): RedisTokenStore {
  const created = redisTokenStore({ client: connect(), prefix: `t:${crypto.randomUUID()}:`, ...options });
  stores.push(created);
  return created;
}

const token = (accessToken: string, lifetimeMs = 60_000): CachedToken => ({
  accessToken,
  issuedAt: Date.now(),
  expiresAt: Date.now() + lifetimeMs,
  kind: "client_token",
});
const until = async (check: () => Promise<boolean>, timeoutMs = 2_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
};

afterEach(async () => {
  await Promise.all(stores.splice(0).map((s) => s.close()));
  for (const client of clients.splice(0)) client.disconnect();
});

describe("redisTokenStore", () => {
  it("refuses a missing or foreign client with a ConfigurationError naming `client`", () => {
    expect(() => redisTokenStore({} as never)).toThrow(ConfigurationError);
    expect(() => redisTokenStore({ client: {} as never })).toThrow(/client must be an ioredis client/);
    try {
      redisTokenStore({ client: connect(), prefix: "" });
    } catch (error) {
      expect((error as ConfigurationError).option).toBe("prefix");
    }
  });

  it("stores only the token, its expiry, issue time and kind in Redis, under the prefix, with the TTL", async () => {
    const prefix = `t:${crypto.randomUUID()}:`;
    const s = store({ prefix });
    await s.set("sfs:client_token:abc", { ...token("tok-1"), extra: "client-secret" } as CachedToken, 5_000);
    const raw = connect();
    const stored = JSON.parse((await raw.get(`${prefix}token:sfs:client_token:abc`)) ?? "{}");
    expect(Object.keys(stored).sort()).toEqual(["accessToken", "expiresAt", "issuedAt", "kind"]);
    const pttl = await raw.pttl(`${prefix}token:sfs:client_token:abc`);
    expect(pttl).toBeGreaterThan(4_000);
    expect(pttl).toBeLessThanOrEqual(5_000);
  });

  it("shares a token between two stores over two connections and forgets it after its TTL", async () => {
    const prefix = `t:${crypto.randomUUID()}:`;
    const a = store({ prefix });
    const b = store({ prefix });
    await a.set("k", token("tok-shared"), 150);
    expect((await b.get("k"))?.accessToken).toBe("tok-shared");
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await b.get("k")).toBeUndefined();
  });

  it("serves a hit from the in-process tier without a Redis round trip", async () => {
    const prefix = `t:${crypto.randomUUID()}:`;
    const s = store({ prefix });
    await s.ready();
    await s.set("k", token("tok-local"), 60_000);
    // Deleted behind the store's back (no invalidation message): only an in-process copy can still answer.
    await connect().del(`${prefix}token:k`);
    expect((await s.get("k"))?.accessToken).toBe("tok-local");
    const withoutTier = store({ prefix, localTier: false });
    expect(await withoutTier.get("k")).toBeUndefined();
  });

  it("compare-and-delete keeps a newer token and deletes the rejected one, in Redis and in every process", async () => {
    const prefix = `t:${crypto.randomUUID()}:`;
    const a = store({ prefix });
    const b = store({ prefix });
    await Promise.all([a.ready(), b.ready()]);
    await a.set("k", token("tok-new"), 60_000);
    await until(async () => (await b.get("k"))?.accessToken === "tok-new");
    await b.delete("k", "tok-old");
    expect((await a.get("k"))?.accessToken).toBe("tok-new");
    expect(await connect().exists(`${prefix}token:k`)).toBe(1);
    await a.delete("k", "tok-new");
    expect(await connect().exists(`${prefix}token:k`)).toBe(0);
    await until(async () => (await b.get("k")) === undefined, 500);
  });

  it("grants the lock to one owner at a time and never lets a late holder release someone else's lock", async () => {
    const prefix = `t:${crypto.randomUUID()}:`;
    const a = store({ prefix, lockWaitMs: 1 });
    const b = store({ prefix, lockWaitMs: 1 });
    const first = await a.lock("k", 100);
    expect(first).toBeDefined();
    expect(await b.lock("k", 100)).toBeUndefined();
    await new Promise((resolve) => setTimeout(resolve, 120));
    const second = await b.lock("k", 10_000);
    expect(second).toBeDefined();
    await first?.release(); // expired: must not free b's lock
    expect(await a.lock("k", 10_000)).toBeUndefined();
    await second?.release();
    expect(await a.lock("k", 10_000)).toBeDefined();
  });

  it("a waiting lock caller returns as soon as the holder stores a token, without fetching", async () => {
    const prefix = `t:${crypto.randomUUID()}:`;
    const a = store({ prefix });
    const b = store({ prefix });
    const held = await a.lock("k", 10_000);
    const started = Date.now();
    const waiting = b.lock("k", 10_000);
    setTimeout(() => void a.set("k", token("tok-from-holder"), 60_000), 100);
    expect(await waiting).toBeUndefined();
    expect(Date.now() - started).toBeLessThan(1_000);
    expect((await b.get("k"))?.accessToken).toBe("tok-from-holder");
    await held?.release();
  });

  it(
    "the holder's set frees its lock, and the woken waiter " +
      "gets the token with the lock reply, without another read",
    async () => {
      const prefix = `t:${crypto.randomUUID()}:`;
      const a = store({ prefix });
      const b = store({ prefix, lockWaitMs: 1 });
      await Promise.all([a.ready(), b.ready()]);
      const held = await a.lock("k", 10_000);
      expect(await b.lock("k", 10_000)).toBeUndefined(); // held, and no token yet
      await a.set("k", token("tok-from-holder"), 60_000);
      const raw = connect();
      expect(await raw.exists(`${prefix}lock:k`)).toBe(0); // freed by the set itself, before release()

      const c = store({ prefix });
      await c.ready();
      const waiting = store({ prefix });
      await waiting.ready();
      const second = await a.lock("k2", 10_000);
      const woken = waiting.lock("k2", 10_000);
      await new Promise((resolve) => setTimeout(resolve, 30)); // `waiting` has taken its snapshot
      await a.set("k2", token("tok-2"), 60_000);
      expect(await woken).toBeUndefined();
      // Deleted behind the stores' backs (no message): only a copy taken from the lock reply still answers.
      await raw.del(`${prefix}token:k2`);
      expect((await waiting.get("k2"))?.accessToken).toBe("tok-2");
      expect(await c.get("k2")).toBeUndefined();
      await held?.release();
      await second?.release();
      expect(await raw.exists(`${prefix}lock:k2`)).toBe(0);
    },
  );

  it(
    "keeps working when Redis is unreachable: misses, " + "local locks, local tokens, one warning, no secret logged",
    async () => {
      const port = await freePort();
      const warnings: unknown[] = [];
      const logger = {
        debug() {},
        info() {},
        error() {},
        warn: (message: string, data?: unknown) => warnings.push({ message, data }),
      };
      const s = store({
        client: connect(`redis://:hunter2-password@127.0.0.1:${port}`),
        commandTimeoutMs: 50,
        probeIntervalMs: 60_000,
        logger,
      });
      const cache = createTokenCache({ store: s });
      let fetches = 0;
      const info = { provider: "sfs", kind: "client_token", logger };
      const fetchToken = async () => ({ accessToken: `secret-token-${++fetches}`, expiresInMs: 60_000 });
      const results = await Promise.all(Array.from({ length: 20 }, () => cache.get("k", fetchToken, info)));
      expect(new Set(results.map((t) => t.accessToken))).toEqual(new Set(["secret-token-1"]));
      expect((await cache.get("k", fetchToken, info)).accessToken).toBe("secret-token-1");
      await cache.invalidate("k", info, "secret-token-1");
      expect((await cache.get("k", fetchToken, info)).accessToken).toBe("secret-token-2");
      expect(s.mode).toBe("local");
      expect(warnings).toHaveLength(1);
      const logged = JSON.stringify(warnings);
      expect(logged).not.toMatch(/secret-token|hunter2/);
    },
  );
});

import { afterEach, describe, expect, it } from "vitest";
import {
  createProviderClient,
  createTokenCache,
  memoryTokenStore,
  oauth2Auth,
  tokenCacheKey,
  type TokenStore,
} from "../src/index.js";
import { startOAuthServer, type TestServer } from "./helpers.js";

type Paths = Record<string, never>;
const servers: TestServer[] = [];
afterEach(async () => Promise.all(servers.splice(0).map((s) => s.close())));

function clientFor(
  tokenUrl: string,
  baseUrl: string,
  extra: { clientId?: string; tokenCache?: ReturnType<typeof createTokenCache>; provider?: string } = {},
) {
  return createProviderClient<Paths>({
    provider: extra.provider ?? "acme",
    baseUrl,
    tokenCache: extra.tokenCache,
    auth: oauth2Auth({
      tokenUrl,
      clientId: extra.clientId ?? "client-1",
      clientSecret: "s3cret-value",
      grant: { type: "client_credentials" },
    }),
  });
}

describe("token cache", () => {
  it("500 concurrent requests on a cold cache cause exactly one token request", { timeout: 30_000 }, async () => {
    const { server, state, tokenUrl } = await startOAuthServer({ tokenDelayMs: 30 });
    servers.push(server);
    const client = clientFor(tokenUrl, server.url);
    const responses = await Promise.all(Array.from({ length: 500 }, () => client.fetch(`${server.url}/things`)));
    expect(responses.every((r) => r.status === 200)).toBe(true);
    expect(state.issued).toBe(1);
    expect(server.requests.filter((r) => r.path === "/oauth/token")).toHaveLength(1);
  });

  it("refreshes a token within the refresh margin before using it, and reuses a fresh one", async () => {
    let clock = 1_000_000;
    const { server, state, tokenUrl } = await startOAuthServer({ expiresIn: 100 });
    servers.push(server);
    const tokenCache = createTokenCache({
      now: () => clock,
      refreshMarginMs: 30_000,
      store: memoryTokenStore({ now: () => clock }),
    });
    const client = clientFor(tokenUrl, server.url, { tokenCache });
    await client.fetch(`${server.url}/a`);
    clock += 80_000; // 20 s left: above the margin (min(30 s, 10% of 100 s) = 10 s)
    await client.fetch(`${server.url}/a`);
    expect(state.issued).toBe(1);
    clock += 11_000; // 9 s left: inside the margin
    await client.fetch(`${server.url}/a`);
    expect(state.issued).toBe(2);
    expect(server.requests.at(-1)?.headers.authorization).toBe("Bearer tok-2");
  });

  it(
    "a caller that read a miss just before another renewal " + "finished takes that token instead of fetching again",
    async () => {
      const inner = memoryTokenStore();
      let delayNextGet = false;
      // The second caller's read is slow: it reports a miss taken before the first renewal stored its token.
      const slowStore: TokenStore = {
        ...inner,
        async get(key) {
          const value = await inner.get(key);
          if (delayNextGet) {
            delayNextGet = false;
            await new Promise((r) => setTimeout(r, 50));
          }
          return value;
        },
      };
      const cache = createTokenCache({ store: slowStore });
      let fetches = 0;
      const fetchToken = async () => ({ accessToken: `t-${++fetches}`, expiresInMs: 60_000 });
      const info = { provider: "p", kind: "k" };
      delayNextGet = true;
      const late = cache.get("k", fetchToken, info); // reads a miss, resumes after the first renewal is done
      const first = await cache.get("k", fetchToken, info);
      expect((await late).accessToken).toBe(first.accessToken);
      expect(fetches).toBe(1);
    },
  );

  it("keeps tokens of different clients and providers apart in one shared cache", async () => {
    const { server, tokenUrl } = await startOAuthServer({
      api: (req, res) => void res.end(String(req.headers.authorization)),
    });
    servers.push(server);
    const tokenCache = createTokenCache();
    const a = clientFor(tokenUrl, server.url, { tokenCache, clientId: "alpha" });
    const b = clientFor(tokenUrl, server.url, { tokenCache, clientId: "beta" });
    const c = clientFor(tokenUrl, server.url, { tokenCache, clientId: "alpha", provider: "other" });
    const seen = [
      await (await a.fetch(`${server.url}/x`)).text(),
      await (await b.fetch(`${server.url}/x`)).text(),
      await (await c.fetch(`${server.url}/x`)).text(),
    ];
    expect(new Set(seen).size).toBe(3);
    expect(await (await a.fetch(`${server.url}/x`)).text()).toBe(seen[0]);
  });

  it("builds cache keys from provider, kind and a hash: no identity or secret in clear", async () => {
    const key = await tokenCacheKey("finapi", "user_token", ["client-id-123", "alice@example.com"]);
    expect(key).toMatch(/^finapi:user_token:[0-9a-f]{32}$/);
    expect(key).not.toContain("alice");
    expect(await tokenCacheKey("finapi", "user_token", ["client-id-123", "bob@example.com"])).not.toBe(key);
  });

  it("stores nothing secret: the cached entry holds the token and its expiry only", async () => {
    const { server, tokenUrl } = await startOAuthServer();
    servers.push(server);
    const writes: string[] = [];
    const inner = memoryTokenStore();
    const spyStore: TokenStore = {
      ...inner,
      set: async (key, token, ttl) => (writes.push(key + JSON.stringify(token)), inner.set(key, token, ttl)),
    };
    const client = clientFor(tokenUrl, server.url, { tokenCache: createTokenCache({ store: spyStore }) });
    await client.fetch(`${server.url}/x`);
    expect(writes).toHaveLength(1);
    expect(writes[0]).not.toContain("s3cret-value");
    expect(writes[0]).not.toContain("client-1");
  });

  it("bounds the memory store to maxEntries, dropping the oldest", async () => {
    const store = memoryTokenStore({ maxEntries: 2 });
    const token = { accessToken: "t", expiresAt: Date.now() + 60_000, issuedAt: Date.now(), kind: "k" };
    await store.set("a", token, 60_000);
    await store.set("b", token, 60_000);
    await store.set("c", token, 60_000);
    expect(await store.get("a")).toBeUndefined();
    expect(await store.get("c")).toEqual(token);
  });

  it("with a store lock, a process that loses the lock waits for the holder's token instead of fetching", async () => {
    const inner = memoryTokenStore();
    let held = false;
    const lockingStore: TokenStore = {
      ...inner,
      async lock() {
        if (held) return undefined;
        held = true;
        return { release: async () => void (held = false) };
      },
    };
    // Two caches over one store model two processes.
    const one = createTokenCache({ store: lockingStore });
    const two = createTokenCache({ store: lockingStore });
    let fetches = 0;
    const fetchToken = async () => {
      fetches += 1;
      await new Promise((r) => setTimeout(r, 50));
      return { accessToken: `shared-${fetches}`, expiresInMs: 60_000 };
    };
    const info = { provider: "p", kind: "k" };
    const [a, b] = await Promise.all([one.get("k1", fetchToken, info), two.get("k1", fetchToken, info)]);
    expect(fetches).toBe(1);
    expect(a.accessToken).toBe(b.accessToken);
  });

  it("a store that throws is treated as a miss: requests still succeed", async () => {
    const { server, state, tokenUrl } = await startOAuthServer();
    servers.push(server);
    const broken: TokenStore = {
      get: async () => Promise.reject(new Error("ECONNREFUSED")),
      set: async () => Promise.reject(new Error("ECONNREFUSED")),
      delete: async () => Promise.reject(new Error("ECONNREFUSED")),
    };
    const client = clientFor(tokenUrl, server.url, { tokenCache: createTokenCache({ store: broken }) });
    const response = await client.fetch(`${server.url}/x`);
    expect(response.status).toBe(200);
    expect(state.issued).toBe(1);
  });
});

import { afterEach, describe, expect, it } from "vitest";
import {
  AuthenticationError,
  createProviderClient,
  createTokenCache,
  oauth2Auth,
  staticHeadersAuth,
} from "../src/index.js";
import { json, startOAuthServer, startTestServer, type TestServer } from "./helpers.js";

type Paths = Record<string, never>;
const servers: TestServer[] = [];
afterEach(async () => Promise.all(servers.splice(0).map((s) => s.close())));

const auth = (tokenUrl: string) =>
  oauth2Auth({ tokenUrl, clientId: "c", clientSecret: "s", grant: { type: "client_credentials" } });

describe("401 recovery", () => {
  it("invalidates the rejected token, fetches one new token and replays the request with its body intact", async () => {
    let revokedUpTo = 0;
    const { server, state, tokenUrl } = await startOAuthServer({
      api: (req, res, st) => {
        const n = Number(String(req.headers.authorization).replace("Bearer tok-", ""));
        if (n <= revokedUpTo) return json(res, 401, { error: "expired" });
        json(res, 200, { echoed: req.body, token: st.issued });
      },
    });
    servers.push(server);
    const client = createProviderClient<Paths>({ provider: "acme", baseUrl: server.url, auth: auth(tokenUrl) });
    await client.fetch(`${server.url}/warm`);
    revokedUpTo = 1; // the provider drops tok-1
    const response = await client.fetch(`${server.url}/items`, {
      method: "POST",
      body: JSON.stringify({ amount: "12.50", label: "café" }),
      headers: { "content-type": "application/json" },
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ echoed: '{"amount":"12.50","label":"café"}', token: 2 });
    const posts = server.requests.filter((r) => r.path === "/items");
    expect(posts.map((r) => r.headers.authorization)).toEqual(["Bearer tok-1", "Bearer tok-2"]);
    expect(posts[1]?.body).toBe(posts[0]?.body);
    expect(state.issued).toBe(2);
  });

  it("after a 401 the renewal uses the rejected token's refresh token, not the first grant again", async () => {
    const grants: string[] = [];
    const server = await startTestServer((req, res) => {
      if (req.path === "/token") {
        const form = new URLSearchParams(req.body);
        grants.push(form.get("grant_type") ?? "");
        return json(res, 200, {
          access_token: `tok-${grants.length}`,
          refresh_token: `ref-${grants.length}`,
          expires_in: 3600,
        });
      }
      json(res, req.headers.authorization === "Bearer tok-1" ? 401 : 200, {});
    });
    servers.push(server);
    const client = createProviderClient<Paths>({
      provider: "acme",
      baseUrl: server.url,
      auth: oauth2Auth({
        tokenUrl: `${server.url}/token`,
        clientId: "c",
        grant: { type: "password", username: "u", password: "p" },
      }),
    });
    expect((await client.fetch(`${server.url}/x`)).status).toBe(200);
    expect(grants).toEqual(["password", "refresh_token"]);
    expect(new URLSearchParams(server.requests.filter((r) => r.path === "/token")[1]?.body).get("refresh_token")).toBe(
      "ref-1",
    );
  });

  it("a second 401 is an AuthenticationError after exactly two sends, never a loop", async () => {
    const { server, state, tokenUrl } = await startOAuthServer({
      api: (_req, res) => json(res, 401, { error: "nope" }),
    });
    servers.push(server);
    const client = createProviderClient<Paths>({ provider: "acme", baseUrl: server.url, auth: auth(tokenUrl) });
    const error = await client.fetch(`${server.url}/items`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect((error as AuthenticationError).status).toBe(401);
    expect(server.requests.filter((r) => r.path === "/items")).toHaveLength(2);
    expect(state.issued).toBe(2);
  });

  it("keeps a newer token that another request fetched meanwhile (compare before delete)", async () => {
    const { server, tokenUrl } = await startOAuthServer({
      api: (req, res) => (req.headers.authorization === "Bearer tok-1" ? json(res, 401, {}) : json(res, 200, {})),
    });
    servers.push(server);
    const tokenCache = createTokenCache();
    const plugin = auth(tokenUrl);
    const client = createProviderClient<Paths>({ provider: "acme", baseUrl: server.url, auth: plugin, tokenCache });
    const key = await plugin.cacheKey(client.runtime);
    await plugin.getToken(client.runtime); // tok-1 cached
    // Another request already replaced tok-1 with tok-2; a late 401 for tok-1 must not drop tok-2.
    await tokenCache.invalidate(key, { provider: "acme", kind: "x" });
    await plugin.getToken(client.runtime);
    await tokenCache.invalidate(key, { provider: "acme", kind: "x" }, "tok-1");
    expect((await tokenCache.peek(key))?.accessToken).toBe("tok-2");
  });

  it(
    "a custom rejection check may read the body: a 403 with an " +
      "invalid-token body is recovered, other 403s pass through",
    async () => {
      const { server, state, tokenUrl } = await startOAuthServer({
        api: (req, res) => {
          if (req.path === "/forbidden") return json(res, 403, { Message: "no rights on dossier" });
          if (req.headers.authorization === "Bearer tok-1") return json(res, 403, { error: "invalid_token" });
          json(res, 200, { ok: true });
        },
      });
      servers.push(server);
      const client = createProviderClient<Paths>({
        provider: "acme",
        baseUrl: server.url,
        auth: oauth2Auth({
          tokenUrl,
          clientId: "c",
          clientSecret: "s",
          grant: { type: "client_credentials" },
          isTokenRejected: async (response) =>
            response.status === 401 || (response.status === 403 && (await response.text()).includes("invalid_token")),
        }),
      });
      expect(await (await client.fetch(`${server.url}/x`)).json()).toEqual({ ok: true });
      expect(state.issued).toBe(2);
      const forbidden = await client.fetch(`${server.url}/forbidden`);
      expect(forbidden.status).toBe(403);
      expect(await forbidden.json()).toEqual({ Message: "no rights on dossier" });
      expect(state.issued).toBe(2);
    },
  );

  it(
    "static header credentials are not retried on 401: one send, " +
      "then AuthenticationError naming the headers, not their values",
    async () => {
      const server = await startTestServer((_req, res) => json(res, 401, { message: "bad key" }));
      servers.push(server);
      const client = createProviderClient<Paths>({
        provider: "acme",
        baseUrl: server.url,
        auth: staticHeadersAuth({ headers: { "X-Api-Key": "key-value-123" } }),
      });
      const error = (await client.fetch(`${server.url}/x`).catch((e: unknown) => e)) as AuthenticationError;
      expect(error).toBeInstanceOf(AuthenticationError);
      expect(error.message).toContain("X-Api-Key");
      expect(error.message).not.toContain("key-value-123");
      expect(server.requests).toHaveLength(1);
    },
  );
});

import { afterEach, describe, expect, it, vi } from "vitest";
import {
  AuthenticationError,
  bearerTokenAuth,
  createProviderClient,
  createTokenCache,
  oauth2Auth,
  staticHeadersAuth,
  type TokenStore,
} from "../src/index.js";
import { json, recordingLogger, startOAuthServer, startTestServer, type TestServer } from "./helpers.js";

type Paths = Record<string, never>;
const servers: TestServer[] = [];
afterEach(async () => Promise.all(servers.splice(0).map((s) => s.close())));

const APP_SECRET = "app-secret-value-77";

/** Salt Edge's way: 401 or 403 with `{ error_class, error_message }`, and the message quotes the secret it got. */
async function saltEdgeLike() {
  const server = await startTestServer((req, res) => {
    if (req.path === "/forbidden")
      return json(res, 403, { error_class: "ActionNotAllowed", error_message: "not for this app" });
    if (req.headers["app-secret"] !== "right") {
      return json(res, 403, {
        error_class: "ClientNotFound",
        error_message: `no client with secret ${req.headers["app-secret"]}`,
      });
    }
    json(res, 200, { ok: true });
  });
  servers.push(server);
  return server;
}

const saltEdgeAuth = (appSecret: string) =>
  staticHeadersAuth({
    name: "saltedge-auth",
    kind: "app",
    headers: { "Client-id": "client-1", "App-secret": appSecret },
    isRejected: async (response, body) =>
      response.status === 401 ||
      (response.status === 403 && ((await body()) as { error_class?: string })?.error_class === "ClientNotFound"),
    describeRejection: (body) => {
      const { error_class, error_message } = body as { error_class: string; error_message: string };
      return { code: error_class, message: `${error_message}; check clientId and appSecret` };
    },
  });

describe("staticHeadersAuth", () => {
  it(
    "recognises a rejection by the body, describes it with the " +
      "provider's code and message, and never shows the header values",
    async () => {
      const server = await saltEdgeLike();
      const client = createProviderClient<Paths>({
        provider: "saltedge",
        baseUrl: server.url,
        auth: saltEdgeAuth(APP_SECRET),
      });
      const error = (await client.fetch(`${server.url}/x`).catch((e: unknown) => e)) as AuthenticationError;
      expect(error).toBeInstanceOf(AuthenticationError);
      expect(error.code).toBe("ClientNotFound");
      expect(error.status).toBe(403);
      expect(error.message).toBe(
        "saltedge refused Client-id, App-secret (403 ClientNotFound): " +
          "no client with secret [redacted]; check clientId and appSecret",
      );
      expect(error.body).toEqual({ error_class: "ClientNotFound", error_message: "no client with secret [redacted]" });
      expect(JSON.stringify(error)).not.toContain(APP_SECRET);
      expect(server.requests).toHaveLength(1); // final: no retry with the same credentials
      // A 403 that is not about the credentials passes through, its body unread although the check read a copy.
      const forbidden = await client.fetch(`${server.url}/forbidden`);
      expect(forbidden.status).toBe(403);
      expect(await forbidden.json()).toEqual({ error_class: "ActionNotAllowed", error_message: "not for this app" });
    },
  );

  it("revoke: client.revoke() calls the option, e.g. ending a session at the provider", async () => {
    const server = await startTestServer((_req, res) => json(res, 204, {}));
    servers.push(server);
    const auth = staticHeadersAuth({
      headers: { "x-session": "s-1" },
      revoke: async (runtime) =>
        void (await runtime.plainFetch(`${server.url}/logout`, { method: "POST", headers: { "x-session": "s-1" } })),
    });
    const client = createProviderClient<Paths>({ provider: "acme", baseUrl: server.url, auth });
    await client.revoke();
    expect(server.requests.map((r) => `${r.method} ${r.path} ${r.headers["x-session"]}`)).toEqual(["POST /logout s-1"]);
  });
});

describe("bearerTokenAuth", () => {
  it(
    "invalidate(runtime, rejectedAccessToken) deletes only " + "that token: a newer one stays, the rejected one goes",
    async () => {
      const { server, state, tokenUrl } = await startOAuthServer();
      servers.push(server);
      const auth = oauth2Auth({ tokenUrl, clientId: "c", clientSecret: "s", grant: { type: "client_credentials" } });
      const client = createProviderClient<Paths>({ provider: "acme", baseUrl: server.url, auth });
      expect((await auth.getToken(client.runtime)).accessToken).toBe("tok-1");
      await auth.invalidate(client.runtime, "tok-0"); // refused late, already replaced
      expect((await auth.getToken(client.runtime)).accessToken).toBe("tok-1");
      await auth.invalidate(client.runtime, "tok-1");
      expect((await auth.getToken(client.runtime)).accessToken).toBe("tok-2");
      expect(state.issued).toBe(2);
    },
  );

  it(
    "two replays of requests refused with one token, outside the " +
      "pipeline (SFS's client-token request), fetch one new token, not two",
    async () => {
      // The endpoint refuses tok-1 (revoked early). Each caller invalidates the token it sent and sends once more.
      const { server, state, tokenUrl } = await startOAuthServer({
        api: (req, res) => json(res, req.headers.authorization === "Bearer tok-1" ? 401 : 201, {}),
      });
      servers.push(server);
      const platform = oauth2Auth({
        tokenUrl,
        clientId: "c",
        clientSecret: "s",
        grant: { type: "client_credentials" },
      });
      const client = createProviderClient<Paths>({ provider: "acme", baseUrl: server.url, auth: platform });
      const send = (token: string) =>
        client.runtime.plainFetch(`${server.url}/api/token`, {
          method: "POST",
          headers: { authorization: `Bearer ${token}` },
        });
      const token = await platform.getToken(client.runtime); // both callers hold tok-1
      const replay = async () => {
        let response = await send(token.accessToken);
        if (response.status === 401) {
          await platform.invalidate(client.runtime, token.accessToken);
          response = await send((await platform.getToken(client.runtime)).accessToken);
        }
        return response.status;
      };
      expect([await replay(), await replay()]).toEqual([201, 201]);
      expect(state.issued).toBe(2); // the second invalidate found tok-2 and kept it
    },
  );

  it("isTokenRejected may read the body through the bounded reader it is given", async () => {
    const { server, state, tokenUrl } = await startOAuthServer({
      api: (req, res) =>
        req.headers.authorization === "Bearer tok-1"
          ? json(res, 403, { Code: "InvalidToken" })
          : json(res, 200, { ok: true }),
    });
    servers.push(server);
    const auth = oauth2Auth({
      tokenUrl,
      clientId: "c",
      clientSecret: "s",
      grant: { type: "client_credentials" },
      isTokenRejected: async (response, body) =>
        response.status === 403 && ((await body()) as { Code?: string })?.Code === "InvalidToken",
    });
    const client = createProviderClient<Paths>({ provider: "acme", baseUrl: server.url, auth });
    expect(await (await client.fetch(`${server.url}/x`)).json()).toEqual({ ok: true });
    expect(state.issued).toBe(2);
  });

  it(
    "revoke() survives a token store that throws: a warning, no " +
      "call to the provider with a token it cannot know, no error",
    async () => {
      const revoked: string[] = [];
      const broken: TokenStore = {
        get: () => Promise.reject(new Error("redis down")),
        set: () => Promise.reject(new Error("redis down")),
        delete: () => Promise.reject(new Error("redis down")),
      };
      const { lines, logger } = recordingLogger();
      const server = await startTestServer((_req, res) => json(res, 200, {}));
      servers.push(server);
      const auth = bearerTokenAuth({
        kind: "t",
        identity: ["x"],
        fetchToken: async () => ({ accessToken: "a", expiresInMs: 60_000 }),
        revokeToken: async (_runtime, token) => void revoked.push(token.accessToken),
      });
      const client = createProviderClient<Paths>({
        provider: "acme",
        baseUrl: server.url,
        auth,
        tokenCache: createTokenCache({ store: broken }),
        logger,
      });
      await expect(client.revoke()).resolves.toBeUndefined();
      expect(revoked).toEqual([]);
      expect(lines.some((line) => line.startsWith("warn token store get failed"))).toBe(true);
    },
  );
});

describe("custom rejection checks", () => {
  it("no check clones the response; one reading the body leaves the caller the same body, unread", async () => {
    const server = await saltEdgeLike();
    const clone = vi.spyOn(Response.prototype, "clone");
    try {
      const byStatus = staticHeadersAuth({
        headers: { "app-secret": "right" },
        isRejected: (response) => response.status === 401 || response.status === 403,
      });
      const client = createProviderClient<Paths>({ provider: "acme", baseUrl: server.url, auth: byStatus });
      expect(await (await client.fetch(`${server.url}/ok`)).json()).toEqual({ ok: true });
      expect(clone).not.toHaveBeenCalled();

      // A check that reads the body (even through the response it is given) reads it once, bounded, and the caller
      // gets the same bytes: no clone, whose tee an abort mid-body rejected with nobody listening.
      const byBody = staticHeadersAuth({
        headers: { "app-secret": "right" },
        isRejected: async (response) =>
          response.status === 403 &&
          ((await response.json()) as { error_class?: string }).error_class === "ClientNotFound",
      });
      const reader = createProviderClient<Paths>({ provider: "acme", baseUrl: server.url, auth: byBody });
      const forbidden = await reader.fetch(`${server.url}/forbidden`);
      expect(clone).not.toHaveBeenCalled();
      expect(await forbidden.json()).toEqual({ error_class: "ActionNotAllowed", error_message: "not for this app" });
    } finally {
      clone.mockRestore();
    }
  });
});

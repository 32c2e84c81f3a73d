import { inspect } from "node:util";
import {
  AuthenticationError,
  createTokenCache,
  isXError,
  memoryTokenStore,
  type SdkEvent,
  type TokenStore,
} from "@x/core";
import {
  FAST_RETRY,
  json,
  recordingLogger,
  startEmulator,
  startTestServer,
  type StartedEmulator,
  type TestServer,
} from "@x/testing";
import { afterEach, describe, expect, it } from "vitest";
import { createSfsClient } from "../src/index.js";
import { listClients, listTemplates } from "./helpers.js";

let emulator: StartedEmulator<"sfs"> | undefined;
let server: TestServer | undefined;
afterEach(async () => {
  await emulator?.close();
  await server?.close();
  emulator = undefined;
  server = undefined;
});

const API_KEY = "ak-LEAK-CANARY-7f3a";
const SECRET = "sk-LEAK-CANARY-91bd";

/** Everything an application could print or ship: logs, events, cache keys. */
function recorders() {
  const recording = recordingLogger<SdkEvent>();
  const keys: string[] = [];
  const inner = memoryTokenStore();
  const store: TokenStore = {
    get: (key) => (keys.push(key), inner.get(key)),
    set: (key, token, ttl) => (keys.push(key), inner.set(key, token, ttl)),
    delete: (key, only) => (keys.push(key), inner.delete(key, only)),
  };
  const tokenCache = createTokenCache({ store });
  return { recording, keys, options: { logger: recording.logger, onEvent: recording.onEvent, tokenCache } };
}

function expectNoSecret(error: unknown, seen: ReturnType<typeof recorders>, secrets: string[]) {
  const views = [
    String(error),
    (error as Error).message,
    JSON.stringify(error),
    inspect(error, { depth: 10 }),
    seen.recording.text(),
    ...seen.keys,
  ];
  for (const secret of secrets) for (const view of views) expect(view).not.toContain(secret);
}

describe("no secret leaves the SDK", () => {
  it(
    "a wrong apiKey/secret is an AuthenticationError whose every rendering, " +
      "log line, event and cache key lacks them",
    async () => {
      emulator = await startEmulator("sfs");
      const seen = recorders();
      const options = { apiKey: API_KEY, secret: SECRET, retry: FAST_RETRY, ...seen.options };
      const sfs = createSfsClient({ ...options, baseUrl: emulator.url });
      const error = await sfs
        .unwrap(sfs.POST("/api/client", { body: { data: { action: "list" } } }))
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AuthenticationError);
      expect((error as AuthenticationError).status).toBe(403);
      expect((error as AuthenticationError).message).toContain("invalid apiKey or secret");
      expect(seen.keys.length).toBeGreaterThan(0);
      expectNoSecret(error, seen, [API_KEY, SECRET]);
    },
  );

  it("a token endpoint that echoes the credentials back in its error body cannot leak them", async () => {
    server = await startTestServer((req, res) => {
      const data = (JSON.parse(req.body) as { data: Record<string, string> }).data;
      json(res, 403, {
        code: "403",
        message: `invalid apiKey ${data.apiKey} or secret ${data.secret}`,
        secret: data.secret,
        apiKey: data.apiKey,
      });
    });
    const seen = recorders();
    const options = { apiKey: API_KEY, secret: SECRET, retry: FAST_RETRY, ...seen.options };
    const sfs = createSfsClient({ ...options, baseUrl: server.url });
    const error = await sfs
      .unwrap(sfs.POST("/api/client", { body: { data: { action: "list" } } }))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(JSON.stringify(server.requests[0]?.body)).toContain(SECRET); // the canary did travel to the server
    expectNoSecret(error, seen, [API_KEY, SECRET]);
  });

  it(
    "a server echoing the request into a 4xx body: " + "no credential or token in `{ error }` nor the ApiError",
    async () => {
      const PLATFORM_TOKEN = "pt-LEAK-CANARY-0c2e";
      const CLIENT_TOKEN = "ct-LEAK-CANARY-d94b";
      server = await startTestServer((req, res) => {
        const data = (JSON.parse(req.body || "{}") as { data?: Record<string, string> }).data ?? {};
        const bearer = req.headers.authorization;
        // The token requests of the SDK (plainFetch, no bearer for the platform token) get tokens.
        if (req.path === "/api/token" && data.apiKey && !bearer) {
          return json(res, 201, { access_token: PLATFORM_TOKEN, expires_in: 1800 });
        }
        if (req.path === "/api/token" && data.clientKey && bearer === `Bearer ${PLATFORM_TOKEN}`) {
          return json(res, 201, { access_token: CLIENT_TOKEN, expires_in: 1800 });
        }
        // Every other request is echoed whole, as a debugging proxy or a careless error handler would: headers and
        // body as fields, and as text in the message (where only the value itself can be scrubbed, not a field name).
        const request = { method: req.method, path: req.url, headers: req.headers, body: req.body };
        json(res, 400, { code: "400", message: `rejected ${JSON.stringify(req.headers)} ${req.body}`, request });
      });
      const seen = recorders();
      const options = { apiKey: API_KEY, secret: SECRET, retry: false as const, ...seen.options };
      const sfs = createSfsClient({ ...options, baseUrl: server.url });
      const acme = sfs.forClient("acme");
      // The one typed call that carries the credentials in its body, and two that carry a token only.
      const calls: Array<() => Promise<{ data?: unknown; error?: unknown; response: Response }>> = [
        () => sfs.POST("/api/token", { body: { data: { action: "create", apiKey: API_KEY, secret: SECRET } } }),
        () => sfs.POST("/api/client", listClients),
        () => acme.POST("/api/template", listTemplates),
      ];
      const secrets = [API_KEY, SECRET, PLATFORM_TOKEN, CLIENT_TOKEN];
      for (const call of calls) {
        const { error, response } = await call();
        expect(response.status).toBe(400);
        expect(error).toBeDefined();
        for (const view of [JSON.stringify(error), inspect(error, { depth: 10 })]) {
          for (const secret of secrets) expect(view).not.toContain(secret);
        }
        const thrown = await sfs.unwrap(call()).catch((e: unknown) => e);
        expect(isXError(thrown, { provider: "sfs", code: "BAD_REQUEST" })).toBe(true);
        expectNoSecret(thrown, seen, secrets);
      }
      // The canaries did travel: the server saw every credential and both tokens.
      const sent = JSON.stringify(server.requests);
      for (const secret of secrets) expect(sent).toContain(secret);
    },
  );

  it("a failed client-token revocation does not reveal the client token it carried", async () => {
    let clientToken = "";
    server = await startTestServer((req, res) => {
      const data = (JSON.parse(req.body) as { data: Record<string, string> }).data;
      if (data.apiKey) return json(res, 201, { access_token: "platform-token-canary", expires_in: 1800 });
      if (data.action === "create")
        return json(res, 201, { access_token: (clientToken = "client-token-canary-55e1"), expires_in: 1800 });
      if (req.path === "/api/template") return json(res, 200, []);
      json(res, 500, { code: "500", message: `could not revoke ${data.accessToken}`, accessToken: data.accessToken });
    });
    const seen = recorders();
    const acme = createSfsClient({
      apiKey: API_KEY,
      secret: SECRET,
      baseUrl: server.url,
      retry: false,
      ...seen.options,
    }).forClient("acme");
    await acme.unwrap(acme.POST("/api/template", listTemplates));
    const error = await acme.revoke().catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/failed with 500/);
    expect(clientToken).not.toBe("");
    expectNoSecret(error, seen, [API_KEY, SECRET, "platform-token-canary", clientToken]);
    // The provider's message quoted the token; core keeps the message but redacts the body field.
    expect(JSON.stringify((error as { body?: unknown }).body)).not.toContain(clientToken);
  });
});

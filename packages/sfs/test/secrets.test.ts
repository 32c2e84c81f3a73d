import { inspect } from "node:util";
import { AuthenticationError, createTokenCache, memoryTokenStore, type Logger, type SdkEvent, type TokenStore } from "@x/core";
import type { Sandbox } from "@x/sandbox";
import { json, startTestServer, type TestServer } from "@x/testing";
import { afterEach, describe, expect, it } from "vitest";
import { createSfsClient } from "../src/index.js";
import { fastRetry, listTemplates, sfsSandbox } from "./helpers.js";

let sandbox: Sandbox | undefined;
let server: TestServer | undefined;
afterEach(async () => {
  await sandbox?.close();
  await server?.close();
  sandbox = undefined;
  server = undefined;
});

const API_KEY = "ak-LEAK-CANARY-7f3a";
const SECRET = "sk-LEAK-CANARY-91bd";

/** Everything an application could print or ship: logs, events, cache keys. */
function recorders() {
  const lines: string[] = [];
  const log = (level: string) => (message: string, data?: Record<string, unknown>) => lines.push(`${level} ${message} ${JSON.stringify(data ?? {})}`);
  const logger: Logger = { debug: log("debug"), info: log("info"), warn: log("warn"), error: log("error") };
  const events: SdkEvent[] = [];
  const keys: string[] = [];
  const inner = memoryTokenStore();
  const store: TokenStore = {
    get: (key) => (keys.push(key), inner.get(key)),
    set: (key, token, ttl) => (keys.push(key), inner.set(key, token, ttl)),
    delete: (key, only) => (keys.push(key), inner.delete(key, only)),
  };
  return { lines, events, keys, options: { logger, onEvent: (e: SdkEvent) => events.push(e), tokenCache: createTokenCache({ store }) } };
}

function expectNoSecret(error: unknown, seen: ReturnType<typeof recorders>, secrets: string[]) {
  const views = [String(error), (error as Error).message, JSON.stringify(error), inspect(error, { depth: 10 }), ...seen.lines, JSON.stringify(seen.events), ...seen.keys];
  for (const secret of secrets) for (const view of views) expect(view).not.toContain(secret);
}

describe("no secret leaves the SDK", () => {
  it("a wrong apiKey/secret is an AuthenticationError whose every rendering, log line, event and cache key lacks them", async () => {
    sandbox = await sfsSandbox();
    const seen = recorders();
    const sfs = createSfsClient({ apiKey: API_KEY, secret: SECRET, baseUrl: sandbox.urls.sfs, retry: fastRetry, ...seen.options });
    const error = await sfs.unwrap(sfs.POST("/api/client", { body: { data: { action: "list" } } })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect((error as AuthenticationError).status).toBe(403);
    expect((error as AuthenticationError).message).toContain("invalid apiKey or secret");
    expect(seen.keys.length).toBeGreaterThan(0);
    expectNoSecret(error, seen, [API_KEY, SECRET]);
  });

  it("a token endpoint that echoes the credentials back in its error body cannot leak them", async () => {
    server = await startTestServer((req, res) => {
      const data = (JSON.parse(req.body) as { data: Record<string, string> }).data;
      json(res, 403, { code: "403", message: `invalid apiKey ${data.apiKey} or secret ${data.secret}`, secret: data.secret, apiKey: data.apiKey });
    });
    const seen = recorders();
    const sfs = createSfsClient({ apiKey: API_KEY, secret: SECRET, baseUrl: server.url, retry: fastRetry, ...seen.options });
    const error = await sfs.unwrap(sfs.POST("/api/client", { body: { data: { action: "list" } } })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(JSON.stringify(server.requests[0]?.body)).toContain(SECRET); // the canary did travel to the server
    expectNoSecret(error, seen, [API_KEY, SECRET]);
  });

  it("a failed client-token revocation does not reveal the client token it carried", async () => {
    let clientToken = "";
    server = await startTestServer((req, res) => {
      const data = (JSON.parse(req.body) as { data: Record<string, string> }).data;
      if (data.apiKey) return json(res, 201, { access_token: "platform-token-canary", expires_in: 1800 });
      if (data.action === "create") return json(res, 201, { access_token: (clientToken = "client-token-canary-55e1"), expires_in: 1800 });
      if (req.path === "/api/template") return json(res, 200, []);
      json(res, 500, { code: "500", message: `could not revoke ${data.accessToken}`, accessToken: data.accessToken });
    });
    const seen = recorders();
    const acme = createSfsClient({ apiKey: API_KEY, secret: SECRET, baseUrl: server.url, retry: false, ...seen.options }).forClient("acme");
    await acme.unwrap(acme.POST("/api/template", listTemplates));
    const error = await acme.revoke().catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/failed with 500/);
    expect(clientToken).not.toBe("");
    expectNoSecret(error, seen, [API_KEY, SECRET, "platform-token-canary", clientToken]);
    // The provider's message quoted the token; core keeps the message but redacts the body field.
    expect(JSON.stringify((error as { body?: unknown }).body)).not.toContain(clientToken);
  });
});

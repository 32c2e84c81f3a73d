import { spawnSync } from "node:child_process";
import { createHmac } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { json, startTestServer, type RecordedRequest, type TestServer } from "@x/testing";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { example as customToken } from "../samples/custom-token.js";
import { example as errors } from "../samples/errors.js";
import { example as oauth2 } from "../samples/oauth2.js";
import { example as operation } from "../samples/operation.js";
import { example as plugin } from "../samples/plugin.js";
import { example as sandbox } from "../samples/sandbox.js";
import { example as signing } from "../samples/signing.js";
import { example as staticHeaders } from "../samples/static-headers.js";

const docs = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const guide = readFileSync(path.join(docs, "writing-a-provider.md"), "utf8");
const sampleFiles = readdirSync(path.join(docs, "samples")).filter((f) => f.endsWith(".ts")).sort();

/** `<!-- sample: samples/x.ts -->` followed by a fenced block: the block must be that file, byte for byte. */
const included = [...guide.matchAll(/<!-- sample: (\S+) -->\n```ts\n([\s\S]*?)```\n/g)].map((m) => ({ file: m[1] as string, code: m[2] as string }));

describe("docs/writing-a-provider.md", () => {
  it("every TypeScript block of the guide is a sample file included verbatim", () => {
    const tsBlocks = guide.match(/```ts\n/g) ?? [];
    expect(included.length, "each ```ts block needs a <!-- sample: ... --> line above it").toBe(tsBlocks.length);
    for (const { file, code } of included) expect(code, `${file} differs from its block; run pnpm --filter @x/docs sync-samples`).toBe(readFileSync(path.join(docs, file), "utf8"));
  });

  it("every sample file is shown in the guide", () => {
    expect([...new Set(included.map((i) => path.basename(i.file)))].sort()).toEqual(sampleFiles);
  });

  it("the samples type-check (strict, against @x/core's published declarations)", { timeout: 120_000 }, () => {
    const tsc = path.join(docs, "..", "node_modules", "typescript", "bin", "tsc");
    const result = spawnSync(process.execPath, [tsc, "-p", path.join(docs, "tsconfig.json")], { encoding: "utf8" });
    expect(result.stdout + result.stderr).toBe("");
    expect(result.status).toBe(0);
  });
});

/** A loopback Acme that answers every sample: API key or bearer auth, two token endpoints, a signed route. */
let server: TestServer;
let state: { tokens: number; statusFailures: number };
beforeAll(async () => {
  server = await startTestServer(handle);
});
beforeEach(() => {
  server.requests.length = 0;
  state = { tokens: 0, statusFailures: 0 };
});
afterAll(() => server.close());

function handle(req: RecordedRequest, res: Parameters<Parameters<typeof startTestServer>[0]>[1]) {
  if (req.path === "/oauth/token") {
    const form = new URLSearchParams(req.body);
    if (form.get("client_secret") !== "acme-secret") return json(res, 401, { error: "invalid_client" });
    return json(res, 200, { access_token: `tok-${++state.tokens}`, token_type: "Bearer", expires_in: 3600 });
  }
  if (req.path === "/token") {
    const { data } = JSON.parse(req.body) as { data: { apiKey: string; secret: string } };
    if (data.secret !== "acme-secret") return json(res, 401, { error: "invalid_secret" });
    return json(res, 201, { data: { access_token: `tok-${++state.tokens}`, expires_in: 1800 } });
  }
  // plugin.ts sends no credential: its route fails once, then answers, so the retry can be observed.
  if (req.headers["x-correlation-id"]) return state.statusFailures++ === 0 ? json(res, 503, { error: { code: "unavailable", message: "try again" } }) : json(res, 200, { accounts: [] });
  const authorized = req.headers["x-api-key"] === "demo-key" || /^Bearer tok-\d+$/.test(String(req.headers.authorization)) || req.headers["x-key-id"] === "acme-key";
  if (!authorized) return json(res, 401, { error: { code: "invalid_credentials", message: "unknown key" } });
  if (req.path === "/accounts") return json(res, 200, { accounts: [{ id: "a1", code: "512", name: "Bank", type: "asset", balance: { amount: "1.00", currency: "EUR" } }] });
  if (req.path === "/entries" && req.method === "POST") {
    const expected = createHmac("sha256", "acme-signing-secret").update(`${req.headers["x-timestamp"]}|POST|${server.url}/entries|${req.body}`).digest("base64");
    return req.headers["x-signature"] === expected ? json(res, 201, { id: "e1" }) : json(res, 401, { error: { code: "bad_signature", message: "signature mismatch" } });
  }
  return json(res, 404, { error: { code: "not_found", message: `${req.path} not found` } }, { "x-request-id": "req-42" });
}

describe("the guide's samples run", () => {
  it("plugin.ts: the correlation id is the same on the retried attempt", async () => {
    expect(await plugin(server.url)).toBe(200);
    const ids = server.requests.map((r) => r.headers["x-correlation-id"]);
    expect(ids).toHaveLength(2);
    expect(ids[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(ids[1]).toBe(ids[0]);
  });

  it("operation.ts: sends are counted per operationId of the typed calls, and by URL path for client.fetch", async () => {
    expect(await operation(server.url)).toEqual({
      listAccounts: { sends: 1, failures: 0 },
      getEntry: { sends: 2, failures: 2 },
      "GET /health": { sends: 1, failures: 1 },
    });
  });

  it("static-headers.ts: the API key travels in X-Api-Key and the typed data comes back", async () => {
    expect(await staticHeaders(server.url)).toEqual(["512"]);
    expect(server.requests[0]?.headers["x-api-key"]).toBe("demo-key");
  });

  it("oauth2.ts: two clients sharing a cache fetch one token between three calls", async () => {
    const events = await oauth2(server.url);
    expect(events.filter((e) => e === "token.fetched")).toHaveLength(1);
    expect(server.requests.filter((r) => r.path === "/oauth/token")).toHaveLength(1);
    expect(new URLSearchParams(server.requests.find((r) => r.path === "/oauth/token")?.body).get("scope")).toBe("accounts.read");
  });

  it("custom-token.ts: the wrapped JSON token is used, and the cache key names provider and kind but holds no secret", async () => {
    const { key, status } = await customToken(server.url);
    expect(status).toBe(200);
    expect(server.requests.find((r) => r.path === "/accounts")?.headers.authorization).toBe("Bearer tok-1");
    expect(key).toMatch(/^acme:platform_token:[0-9a-f]{32}$/);
    expect(key).not.toContain("acme-secret");
  });

  it("signing.ts: the server verifies the HMAC over timestamp, method, URL and the exact body", async () => {
    expect(await signing(server.url)).toBe(201);
    expect(server.requests[0]?.headers["x-signature"]).toBeTruthy();
  });

  it("errors.ts: each failure surfaces as its own error class with the field to act on", async () => {
    expect(await errors(server.url)).toEqual(["ConfigurationError option=apiKey", "ApiError status=404 code=not_found requestId=req-42", "AuthenticationError code=CREDENTIALS_REJECTED"]);
  });

  it("sandbox.ts: the echo emulator saw the failed and retried token request, two calls and issued one token", async () => {
    expect(await sandbox()).toEqual({ requests: 4, tokens: 1 });
  });
});

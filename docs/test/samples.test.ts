import { spawnSync } from "node:child_process";
import { createHmac } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { inspect } from "node:util";
import { ApiError, AuthenticationError, createProviderClient, oauth2Auth } from "@x/core";
import { HttpError, startHttpServer, type Emulator, type EmulatorRequest } from "@x/sandbox";
import { json, startTestServer, type RecordedRequest, type TestServer } from "@x/testing";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { example as customToken } from "../samples/custom-token.js";
import type { paths } from "../samples/generated/schema.js";
import { acme as acmeEmulator } from "../samples/emulator.js";
import { describeAcmeError, isAcmeError } from "../samples/error-guard.js";
import { example as errors } from "../samples/errors.js";
import { example as oauth2 } from "../samples/oauth2.js";
import { example as operation } from "../samples/operation.js";
import { example as pagination, listAccounts } from "../samples/pagination.js";
import { example as plugin } from "../samples/plugin.js";
import { example as sandbox } from "../samples/sandbox.js";
import { example as signing } from "../samples/signing.js";
import { createAcmeClient, example as staticHeaders } from "../samples/static-headers.js";

const docs = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const guide = readFileSync(path.join(docs, "writing-a-provider.md"), "utf8");
const sampleFiles = readdirSync(path.join(docs, "samples"))
  .filter((f) => f.endsWith(".ts"))
  .sort();

/** `<!-- sample: samples/x.ts -->` followed by a fenced block: the block must be that file, byte for byte. */
const included = [...guide.matchAll(/<!-- sample: (\S+) -->\n```ts\n([\s\S]*?)```\n/g)].map((m) => ({
  file: m[1] as string,
  code: m[2] as string,
}));

describe("docs/writing-a-provider.md", () => {
  it("every TypeScript block of the guide is a sample file included verbatim", () => {
    const tsBlocks = guide.match(/```ts\n/g) ?? [];
    expect(included.length, "each ```ts block needs a <!-- sample: ... --> line above it").toBe(tsBlocks.length);
    for (const { file, code } of included) {
      const hint = `${file} differs from its block; run pnpm --filter @x/docs sync-samples`;
      expect(code, hint).toBe(readFileSync(path.join(docs, file), "utf8"));
    }
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

const ACCOUNTS = [
  { id: "a1", code: "512", name: "Bank", type: "asset" },
  { id: "a2", code: "601", name: "Purchases", type: "expense" },
  { id: "a3", code: "706", name: "Sales", type: "income" },
].map((account) => ({ ...account, balance: { amount: "1.00", currency: "EUR" } }));
const ENTRIES = ["Jan", "Feb", "Mar", "Apr", "May"].map((label, i) => ({
  id: `e${i + 1}`,
  date: "2026-01-31",
  label,
  lines: [],
  createdAt: "2026-01-31T09:00:00Z",
}));

/**
 * A loopback Acme that answers every sample: API key or bearer auth, two token endpoints and a revoke, a signed
 * route, accounts in numbered pages, entries after a cursor, and one route that quotes the request back.
 */
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

const fail = (res: Parameters<typeof json>[0], status: number, code: string, message: string) =>
  json(res, status, { error: { code, message } });

function handle(req: RecordedRequest, res: Parameters<Parameters<typeof startTestServer>[0]>[1]) {
  const query = new URL(req.url, "http://acme").searchParams;
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
  if (req.path === "/token/revoke") return json(res, 200, {});
  // plugin.ts sends no credential: its route fails once, then answers, so the retry can be observed.
  if (req.headers["x-correlation-id"]) {
    if (state.statusFailures++ === 0) return fail(res, 503, "unavailable", "try again");
    return json(res, 200, { accounts: [] });
  }
  if (req.headers["x-api-key"] === "revoked-key") return fail(res, 403, "key_revoked", "this API key was revoked");
  const authorized =
    req.headers["x-api-key"] === "demo-key" ||
    /^Bearer tok-\d+$/.test(String(req.headers.authorization)) ||
    req.headers["x-key-id"] === "acme-key";
  if (!authorized) return fail(res, 401, "invalid_credentials", "unknown key");
  if (req.path === "/accounts") {
    const page = Number(query.get("page") ?? 1);
    const perPage = Number(query.get("perPage") ?? 100);
    const accounts = ACCOUNTS.slice((page - 1) * perPage, page * perPage);
    return json(res, 200, { accounts, paging: { page, perPage, pageCount: Math.ceil(ACCOUNTS.length / perPage) } });
  }
  if (req.path === "/entries" && req.method === "GET") {
    const start = ENTRIES.findIndex((entry) => entry.id === query.get("after")) + 1;
    const entries = ENTRIES.slice(start, start + Number(query.get("limit") ?? 50));
    const last = entries.at(-1);
    return json(res, 200, { entries, nextCursor: last && last !== ENTRIES.at(-1) ? last.id : null });
  }
  if (req.path === "/entries" && req.method === "POST") {
    const signed = `${req.headers["x-timestamp"]}|POST|${server.url}/entries|${req.body}`;
    const expected = createHmac("sha256", "acme-signing-secret").update(signed).digest("base64");
    if (req.headers["x-signature"] === expected) return json(res, 201, { id: "e1" });
    return fail(res, 401, "bad_signature", "signature mismatch");
  }
  // A careless provider: the request's headers quoted back in the message.
  if (req.path === "/entries/echo") return fail(res, 400, "bad_request", `refused ${JSON.stringify(req.headers)}`);
  const notFound = { error: { code: "not_found", message: `${req.path} not found` } };
  return json(res, 404, notFound, { "x-request-id": "req-42" });
}

/** Every way an error is shown (its text, a console's view, a log shipper's JSON), for a secret search. */
const views = (value: unknown) => [
  String(value),
  inspect(value, { depth: null }),
  JSON.stringify(value) ?? "",
  value instanceof Error ? (value.stack ?? "") : "",
];

describe("the guide's samples run", () => {
  it("plugin.ts: the correlation id is the same on the retried attempt", async () => {
    expect(await plugin(server.url)).toBe(200);
    const ids = server.requests.map((r) => r.headers["x-correlation-id"]);
    expect(ids).toHaveLength(2);
    expect(ids[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(ids[1]).toBe(ids[0]);
  });

  it("operation.ts: sends are counted per operationId of typed calls, and by URL path for client.fetch", async () => {
    expect(await operation(server.url)).toEqual({
      listAccounts: { sends: 1, failures: 0 },
      getEntry: { sends: 2, failures: 2 },
      "GET /health": { sends: 1, failures: 1 },
    });
  });

  it("static-headers.ts: the key travels in X-Api-Key, and a derived client keeps the findEntry helper", async () => {
    expect(await staticHeaders(server.url)).toEqual({ codes: ["512", "601", "706"], missing: undefined });
    expect(server.requests.map((r) => [r.path, r.headers["x-api-key"]])).toEqual([
      ["/accounts", "demo-key"],
      ["/entries/missing", "demo-key"],
    ]);
  });

  it("static-headers.ts: an error body that quotes the key back leaves it in no { error } or ApiError", async () => {
    const acme = createAcmeClient({ apiKey: "demo-key", baseUrl: server.url });
    const echo = { params: { path: { entryId: "echo" } } };
    const { error } = await acme.GET("/entries/{entryId}", echo);
    const thrown = await acme.unwrap(acme.GET("/entries/{entryId}", echo)).catch((e: unknown) => e);
    expect(server.requests[0]?.headers["x-api-key"]).toBe("demo-key");
    expect(isAcmeError(thrown, "bad_request")).toBe(true);
    for (const shown of [...views(error), ...views(thrown)]) expect(shown).not.toContain("demo-key");
  });

  it("oauth2.ts: two clients sharing a cache fetch one token between three calls", async () => {
    const events = await oauth2(server.url);
    expect(events.filter((e) => e === "token.fetched")).toHaveLength(1);
    expect(server.requests.filter((r) => r.path === "/oauth/token")).toHaveLength(1);
    const tokenRequest = server.requests.find((r) => r.path === "/oauth/token");
    expect(new URLSearchParams(tokenRequest?.body).get("scope")).toBe("accounts.read");
  });

  it("custom-token.ts: the wrapped token is used and revoked, and the cache key holds no secret", async () => {
    const { key, status } = await customToken(server.url);
    expect(status).toBe(200);
    expect(server.requests.find((r) => r.path === "/accounts")?.headers.authorization).toBe("Bearer tok-1");
    expect(key).toMatch(/^acme:platform_token:[0-9a-f]{32}$/);
    expect(key).not.toContain("acme-secret");
    const revoke = server.requests.find((r) => r.path === "/token/revoke");
    expect(JSON.parse(revoke?.body ?? "{}")).toEqual({ data: { token: "tok-1" } });
  });

  it("signing.ts: the server verifies the HMAC over timestamp, method, URL and the exact body", async () => {
    expect(await signing(server.url)).toBe(201);
    expect(server.requests[0]?.headers["x-signature"]).toBeTruthy();
  });

  it("errors.ts: each failure surfaces as its own error class; the guards narrow by provider and code", async () => {
    expect(await errors(server.url)).toEqual([
      "ConfigurationError option=apiKey",
      "ApiError status=404 code=not_found requestId=req-42",
      "AuthenticationError code=key_revoked: acme refused X-Api-Key (403 key_revoked): this API key was revoked",
      "XError provider=acme",
    ]);
  });

  it("error-guard.ts: isAcmeError holds across the ESM and the CommonJS build of @x/core", () => {
    const cjs = createRequire(import.meta.url)("@x/core") as typeof import("@x/core");
    const fromCjs = new cjs.ApiError("acme failed", { provider: "acme", status: 404, code: "not_found" });
    expect(fromCjs instanceof ApiError).toBe(false);
    expect(isAcmeError(fromCjs)).toBe(true);
    expect(isAcmeError(fromCjs, "not_found")).toBe(true);
    expect(isAcmeError(fromCjs, "key_revoked")).toBe(false);
    expect(isAcmeError(new ApiError("other", { provider: "ledgerly", status: 404, code: "not_found" }))).toBe(false);
    expect(isAcmeError(new Error("not_found"))).toBe(false);
    expect(describeAcmeError("<html>Bad gateway</html>")).toBeUndefined();
  });

  it("pagination.ts: numbered pages, a cursor, collect(max) stops early, a stuck cursor ends the list", async () => {
    const result = await pagination(server.url);
    expect(result).toEqual({
      codes: ["512", "601", "706"],
      pages: [["Jan", "Feb"], ["Mar", "Apr"], ["May"]],
      firstThree: ["Jan", "Feb", "Mar"],
      stuck: expect.stringMatching(/^PAGINATION_STUCK: acme GET \/entries repeated a next-page cursor after page 2/),
    });
    const lists = server.requests.map((r) => r.url);
    expect(lists).toEqual([
      "/accounts?page=1&perPage=2",
      "/accounts?page=2&perPage=2",
      "/entries?limit=2",
      "/entries?after=e2&limit=2",
      "/entries?after=e4&limit=2",
      // collect(3): two pages, the third never asked for
      "/entries?limit=2",
      "/entries?after=e2&limit=2",
    ]);
  });

  it("sandbox.ts: the echo emulator saw the failed and retried token request, two calls, one token", async () => {
    expect(await sandbox()).toEqual({ requests: 4, tokens: 1 });
  });
});

/**
 * Serves an emulator as @x/sandbox's runner does (a buffered request, thrown `HttpError`s written as replies,
 * requests counted), for an emulator the sandbox does not register: the guide's Acme.
 */
async function serveEmulator<O, C>(emulator: Emulator<O, C>, options?: O) {
  const instance = emulator.create(options);
  let baseUrl = "";
  const running = await startHttpServer((req, body, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const text = () => body.toString("utf8");
    const request: EmulatorRequest = {
      method: req.method ?? "GET",
      path: url.pathname,
      url,
      headers: req.headers,
      params: {},
      body,
      text,
      json: <T>() => JSON.parse(text()) as T,
      form: () => new URLSearchParams(text()),
    };
    instance.stats.countRequest();
    Promise.resolve()
      .then(() => instance.handle(request, res, { baseUrl }))
      .catch((error: unknown) => {
        if (error instanceof HttpError) return json(res, error.status, error.body, error.headers);
        json(res, 500, { error: "emulator_error", message: String(error) });
      });
  });
  baseUrl = running.url;
  return { url: running.url, instance, close: running.close };
}

describe("emulator.ts: the guide's Acme emulator, built from the route-table kit", () => {
  it("serves the Acme client: pages, a missing entry, a revoked and a wrong key, in Acme's error shape", async () => {
    const emulator = await serveEmulator(acmeEmulator);
    try {
      const { apiKey } = acmeEmulator.demoCredentials;
      const acme = createAcmeClient({ apiKey, baseUrl: emulator.url });
      expect((await listAccounts(acme, 2).collect()).map((account) => account.code)).toEqual(["512", "601", "706"]);
      expect((await acme.findEntry("ent-1"))?.label).toBe("Rent");
      expect(await acme.findEntry("ent-404")).toBeUndefined();

      const wrong = createAcmeClient({ apiKey: "not-the-key", baseUrl: emulator.url });
      const unknown = await wrong.unwrap(wrong.GET("/accounts")).catch((e: unknown) => e);
      expect(unknown).toBeInstanceOf(AuthenticationError);
      expect(isAcmeError(unknown, "invalid_credentials")).toBe(true);

      emulator.instance.control.revokeKey();
      const revoked = await acme.unwrap(acme.GET("/accounts")).catch((e: unknown) => e);
      expect(isAcmeError(revoked, "key_revoked")).toBe(true);
      expect(emulator.instance.stats.snapshot().requests).toBe(6);
    } finally {
      await emulator.close();
    }
  });

  it("its token endpoint answers RFC 6749 errors through oauthFail, and a token for the right secret", async () => {
    const emulator = await serveEmulator(acmeEmulator, { tokenTtlSeconds: 60 });
    try {
      const { clientId, clientSecret } = acmeEmulator.demoCredentials;
      const client = (secret: string) =>
        createProviderClient<paths>({
          provider: "acme",
          baseUrl: emulator.url,
          auth: oauth2Auth({
            tokenUrl: `${emulator.url}/oauth/token`,
            clientId,
            clientSecret: secret,
            grant: { type: "client_credentials" },
          }),
        });
      const refused = await client("wrong")
        .GET("/accounts")
        .catch((e: unknown) => e);
      expect(refused).toMatchObject({ name: "AuthenticationError", code: "invalid_client" });
      const { response } = await client(clientSecret).GET("/accounts");
      expect(response.status).toBe(200);
      expect(emulator.instance.stats.snapshot().tokensIssued).toEqual({ access: 1 });
      const wrongMethod = await fetch(`${emulator.url}/accounts`, { method: "DELETE" });
      expect(wrongMethod.status).toBe(405);
    } finally {
      await emulator.close();
    }
  });
});

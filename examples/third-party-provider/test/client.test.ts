import { ApiError, AuthenticationError, ConfigurationError, createTokenCache, type SdkEvent } from "@x/core";
import { inspect } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { createLedgerlyClient, postEntry, type LedgerlyClientOptions } from "../src/index.js";
import { DEMO, startLedgerlyServer, type LedgerlyServer, type LedgerlyServerOptions } from "./ledgerly-server.js";

const servers: LedgerlyServer[] = [];
afterEach(async () => Promise.all(servers.splice(0).map((s) => s.close())));

async function setup(serverOptions: LedgerlyServerOptions = {}, clientOptions: Partial<LedgerlyClientOptions> = {}) {
  const server = await startLedgerlyServer(serverOptions);
  servers.push(server);
  const client = createLedgerlyClient({ ...DEMO, baseUrl: server.apiUrl, tokenUrl: server.tokenUrl, retry: { retries: 2, minDelayMs: 1, maxDelayMs: 5 }, ...clientOptions });
  return { server, client };
}

const balanced = {
  date: "2026-01-31",
  label: "January rent",
  lines: [
    { accountId: "acc-613", debit: "900.00", credit: "0" },
    { accountId: "acc-512", debit: "0", credit: "900.00" },
  ],
};

describe("createLedgerlyClient", () => {
  it("20 concurrent calls on a cold cache fetch one client-credentials token, asked with the scope, sent as a bearer", async () => {
    const { server, client } = await setup();
    const results = await Promise.all(Array.from({ length: 20 }, () => client.unwrap(client.GET("/accounts"))));
    expect(results.every((r) => r.accounts[0]?.code === "512")).toBe(true);
    expect(server.tokenRequests()).toHaveLength(1);
    const form = new URLSearchParams(server.tokenRequests()[0]?.body);
    expect(Object.fromEntries(form)).toMatchObject({ grant_type: "client_credentials", client_id: DEMO.clientId, scope: "ledger.read ledger.write" });
    const apiCalls = server.seen.filter((r) => r.path === "/v1/accounts");
    expect(new Set(apiCalls.map((r) => r.headers.authorization)).size).toBe(1);
    expect(apiCalls[0]?.headers.authorization).toMatch(/^Bearer lt-1-/);
  });

  it("two clients with the same credentials and one shared token cache fetch one token between them", async () => {
    const tokenCache = createTokenCache();
    const { server, client } = await setup({}, { tokenCache });
    const second = createLedgerlyClient({ ...DEMO, baseUrl: server.apiUrl, tokenUrl: server.tokenUrl, tokenCache });
    await client.unwrap(client.GET("/accounts"));
    await second.unwrap(second.GET("/accounts"));
    expect(server.tokenRequests()).toHaveLength(1);
  });

  it("a token the server no longer accepts is replaced once and the call succeeds", async () => {
    const { server, client } = await setup();
    await client.unwrap(client.GET("/accounts"));
    server.expireAllTokens();
    const { accounts } = await client.unwrap(client.GET("/accounts"));
    expect(accounts).toHaveLength(1);
    expect(server.tokenRequests()).toHaveLength(2);
  });

  it("refuses wrong client credentials with an AuthenticationError that never contains the secret", async () => {
    const secret = "wrong-secret-7f3a9c";
    const events: SdkEvent[] = [];
    const lines: string[] = [];
    const log = (message: string, data?: Record<string, unknown>) => void lines.push(`${message} ${JSON.stringify(data ?? {})}`);
    const { client } = await setup({}, { clientSecret: secret, onEvent: (e) => events.push(e), logger: { debug: log, info: log, warn: log, error: log } });
    const error = await client.unwrap(client.GET("/accounts")).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect((error as AuthenticationError).code).toBe("invalid_client");
    for (const text of [String(error), JSON.stringify(error), inspect(error, { depth: 10 }), (error as Error).stack ?? "", JSON.stringify(events), ...lines]) {
      expect(text).not.toContain(secret);
    }
  });

  it("maps Ledgerly's error body onto ApiError with its code, status and request id", async () => {
    const { client } = await setup();
    const error = await client.unwrap(client.GET("/entries/{entryId}", { params: { path: { entryId: "ent-404" } } })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ provider: "ledgerly", status: 404, code: "not_found", requestId: expect.stringMatching(/^req-/) });
    expect((error as ApiError).message).toContain("no entry ent-404");
  });

  it("each typed call names its spec operation in request.finished: the path template and operationId, never the entry id", async () => {
    const events: SdkEvent[] = [];
    const { client } = await setup({}, { onEvent: (e) => events.push(e) });
    await client.GET("/entries/{entryId}", { params: { path: { entryId: "ent-404" } } });
    const finished = events.filter((e) => e.type === "request.finished");
    expect(finished).toEqual([expect.objectContaining({ method: "GET", path: "/entries/{entryId}", operationId: "getEntry", status: 404 })]);
  });

  it("refuses missing credentials and a plain-http token URL at construction, naming the option", () => {
    expect(() => createLedgerlyClient({ clientId: "", clientSecret: "s" })).toThrow(expect.objectContaining({ option: "clientId" }));
    expect(() => createLedgerlyClient({ clientId: "c" } as LedgerlyClientOptions)).toThrow(expect.objectContaining({ option: "clientSecret" }));
    const insecure = () => createLedgerlyClient({ ...DEMO, tokenUrl: "http://auth.ledgerly.example/oauth/token" });
    expect(insecure).toThrow(ConfigurationError);
    expect(insecure).toThrow(expect.objectContaining({ option: "tokenUrl" }));
  });

  it("revoke() revokes the token at Ledgerly and the next call fetches a new one", async () => {
    const { server, client } = await setup();
    await client.unwrap(client.GET("/accounts"));
    await client.revoke();
    const revoke = server.seen.find((r) => r.path === "/oauth/revoke");
    expect(new URLSearchParams(revoke?.body).get("token")).toMatch(/^lt-1-/);
    await client.unwrap(client.GET("/accounts"));
    expect(server.tokenRequests()).toHaveLength(2);
    // The revoked token was never sent again: the second call used the new one straight away.
    expect(server.seen.filter((r) => r.path === "/v1/accounts").map((r) => r.headers.authorization?.slice(7, 11))).toEqual(["lt-1", "lt-2"]);
  });
});

describe("postEntry", () => {
  it("retries a 503 with the same Idempotency-Key, so the entry is booked once", async () => {
    const { server, client } = await setup({ failNext: { status: 503, count: 1 } });
    const entry = await postEntry(client, balanced, "key-rent-2026-01");
    expect(entry.id).toBe("ent-1");
    const posts = server.seen.filter((r) => r.path === "/v1/entries");
    expect(posts).toHaveLength(2);
    expect(posts.map((r) => r.headers["idempotency-key"])).toEqual(["key-rent-2026-01", "key-rent-2026-01"]);
    expect(posts[0]?.body).toBe(posts[1]?.body);
  });

  it("a plain POST without postEntry is not retried on a 503", async () => {
    const { server, client } = await setup({ failNext: { status: 503, count: 1 } });
    const { response } = await client.POST("/entries", { body: balanced });
    expect(response.status).toBe(503);
    expect(server.seen.filter((r) => r.path === "/v1/entries")).toHaveLength(1);
  });

  it("an unbalanced entry is an ApiError with the typed code unbalanced_entry", async () => {
    const { client } = await setup();
    const unbalanced = { ...balanced, lines: [{ accountId: "a", debit: "1", credit: "0" }, { accountId: "b", debit: "0", credit: "2" }] };
    await expect(postEntry(client, unbalanced)).rejects.toMatchObject({ status: 422, code: "unbalanced_entry" });
  });
});

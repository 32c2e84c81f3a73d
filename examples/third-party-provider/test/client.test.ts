import {
  ApiError,
  AuthenticationError,
  ConfigurationError,
  createTokenCache,
  PaginationError,
  type SdkEvent,
} from "@x/core";
import { inspect } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import {
  createLedgerlyClient,
  isLedgerlyError,
  type LedgerlyClient,
  type LedgerlyClientOptions,
  type LedgerlyHelpers,
} from "../src/index.js";
import { DEMO, startLedgerlyServer, type LedgerlyServer, type LedgerlyServerOptions } from "./ledgerly-server.js";

const servers: LedgerlyServer[] = [];
afterEach(async () => Promise.all(servers.splice(0).map((s) => s.close())));

async function setup(serverOptions: LedgerlyServerOptions = {}, clientOptions: Partial<LedgerlyClientOptions> = {}) {
  const server = await startLedgerlyServer(serverOptions);
  servers.push(server);
  const retry = { retries: 2, minDelayMs: 1, maxDelayMs: 5 };
  const urls = { baseUrl: server.apiUrl, tokenUrl: server.tokenUrl };
  const client = createLedgerlyClient({ ...DEMO, ...urls, retry, ...clientOptions });
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
  it("20 concurrent calls on a cold cache fetch one client-credentials token, scoped, sent as a bearer", async () => {
    const { server, client } = await setup();
    const results = await Promise.all(Array.from({ length: 20 }, () => client.unwrap(client.GET("/accounts"))));
    expect(results.every((r) => r.accounts.some((account) => account.code === "512"))).toBe(true);
    expect(server.tokenRequests()).toHaveLength(1);
    const form = new URLSearchParams(server.tokenRequests()[0]?.body);
    const scope = "ledger.read ledger.write";
    const { clientId: client_id } = DEMO;
    expect(Object.fromEntries(form)).toMatchObject({ grant_type: "client_credentials", client_id, scope });
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
    expect(accounts).toHaveLength(5);
    expect(server.tokenRequests()).toHaveLength(2);
  });

  it("refuses wrong client credentials with an AuthenticationError that never contains the secret", async () => {
    const secret = "wrong-secret-7f3a9c";
    const events: SdkEvent[] = [];
    const lines: string[] = [];
    const log = (message: string, data?: Record<string, unknown>) => {
      lines.push(`${message} ${JSON.stringify(data ?? {})}`);
    };
    const logger = { debug: log, info: log, warn: log, error: log };
    const { client } = await setup({}, { clientSecret: secret, onEvent: (e) => events.push(e), logger });
    const error = await client.unwrap(client.GET("/accounts")).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect((error as AuthenticationError).code).toBe("invalid_client");
    const views = [String(error), JSON.stringify(error), inspect(error, { depth: 10 }), (error as Error).stack ?? ""];
    for (const text of [...views, JSON.stringify(events), ...lines]) {
      expect(text).not.toContain(secret);
    }
  });

  it("maps Ledgerly's error body onto ApiError with its code, status and request id", async () => {
    const { client } = await setup();
    const entry = { params: { path: { entryId: "ent-404" } } };
    const error = await client.unwrap(client.GET("/entries/{entryId}", entry)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    const requestId = expect.stringMatching(/^req-/);
    expect(error).toMatchObject({ provider: "ledgerly", status: 404, code: "not_found", requestId });
    expect((error as ApiError).message).toContain("no entry ent-404");
  });

  it("each typed call names its operation in request.finished: path template and operationId, not the id", async () => {
    const events: SdkEvent[] = [];
    const { client } = await setup({}, { onEvent: (e) => events.push(e) });
    await client.GET("/entries/{entryId}", { params: { path: { entryId: "ent-404" } } });
    const finished = events.filter((e) => e.type === "request.finished");
    const getEntry = { method: "GET", path: "/entries/{entryId}", operationId: "getEntry", status: 404 };
    expect(finished).toEqual([expect.objectContaining(getEntry)]);
  });

  it("refuses missing credentials and a plain-http token URL at construction, naming the option", () => {
    const option = (name: string) => expect.objectContaining({ option: name });
    expect(() => createLedgerlyClient({ clientId: "", clientSecret: "s" })).toThrow(option("clientId"));
    expect(() => createLedgerlyClient({ clientId: "c" } as LedgerlyClientOptions)).toThrow(option("clientSecret"));
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
    const sent = server.seen.filter((r) => r.path === "/v1/accounts").map((r) => r.headers.authorization?.slice(7, 11));
    expect(sent).toEqual(["lt-1", "lt-2"]);
  });
});

describe("client.postEntry", () => {
  it("retries a 503 with the same Idempotency-Key, so the entry is booked once", async () => {
    const { server, client } = await setup({ failNext: { status: 503, count: 1 } });
    const entry = await client.postEntry(balanced, "key-rent-2026-01");
    expect(entry.id).toBe("ent-1");
    const posts = server.seen.filter((r) => r.path === "/v1/entries");
    expect(posts).toHaveLength(2);
    expect(posts.map((r) => r.headers["idempotency-key"])).toEqual(["key-rent-2026-01", "key-rent-2026-01"]);
    expect(posts[0]?.body).toBe(posts[1]?.body);
  });

  it("a plain POST, not through postEntry, is not retried on a 503", async () => {
    const { server, client } = await setup({ failNext: { status: 503, count: 1 } });
    const { response } = await client.POST("/entries", { body: balanced });
    expect(response.status).toBe(503);
    expect(server.seen.filter((r) => r.path === "/v1/entries")).toHaveLength(1);
  });

  it("an unbalanced entry is an ApiError with the typed code unbalanced_entry", async () => {
    const { client } = await setup();
    const lines = [
      { accountId: "a", debit: "1", credit: "0" },
      { accountId: "b", debit: "0", credit: "2" },
    ];
    const unbalanced = { ...balanced, lines };
    const error = await client.postEntry(unbalanced).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 422, code: "unbalanced_entry" });
    expect(isLedgerlyError(error, "unbalanced_entry")).toBe(true);
  });
});

describe("pagination", () => {
  it("listAccounts reads numbered pages up to paging.pageCount, and only as far as the caller reads", async () => {
    const { server, client } = await setup();
    const codes: string[] = [];
    for await (const account of client.listAccounts({ perPage: 2 })) codes.push(account.code);
    expect(codes).toEqual(["101", "401", "512", "613", "706"]);
    const pages = () => server.seen.filter((r) => r.path === "/v1/accounts").map((r) => r.query.get("page"));
    expect(pages()).toEqual(["1", "2", "3"]);

    server.seen.length = 0;
    expect((await client.listAccounts({ perPage: 2 }).collect(3)).map((a) => a.code)).toEqual(["101", "401", "512"]);
    expect(pages()).toEqual(["1", "2"]);
  });

  it("listEntries follows nextCursor, sent back as after, page by page", async () => {
    const entries = ["Jan", "Feb", "Mar", "Apr", "May"].map((label) => ({ ...balanced, label }));
    const { server, client } = await setup({ entries });
    const pages: string[][] = [];
    for await (const page of client.listEntries({ limit: 2 }).pages()) pages.push(page.map((entry) => entry.label));
    expect(pages).toEqual([["Jan", "Feb"], ["Mar", "Apr"], ["May"]]);
    const sent = server.seen.filter((r) => r.path === "/v1/entries").map((r) => r.query.get("after"));
    expect(sent).toEqual([null, "cur-ent-2", "cur-ent-4"]);
  });

  it("a list whose cursor does not advance ends with a PaginationError instead of looping", async () => {
    const entries = ["Jan", "Feb", "Mar"].map((label) => ({ ...balanced, label }));
    const { server, client } = await setup({ entries, repeatCursor: true });
    const error = await client
      .listEntries({ limit: 1 })
      .collect()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PaginationError);
    expect(isLedgerlyError(error, "PAGINATION_STUCK")).toBe(true);
    expect((error as Error).message).toContain("ledgerly GET /entries repeated a next-page cursor");
    expect(server.seen.filter((r) => r.path === "/v1/entries")).toHaveLength(2);
  });
});

describe("the provider's layout", () => {
  it("withOptions keeps every helper, and each helper uses the derived client's options", async () => {
    const { server, client } = await setup();
    const derived = client.withOptions({ timeoutMs: 5_000, headers: { "x-trace": "derived" } });
    // One call per helper: a helper added to LedgerlyHelpers without a line here fails the type check.
    const calls: { [K in keyof LedgerlyHelpers]: (client: LedgerlyClient) => Promise<unknown> } = {
      postEntry: (c) => c.postEntry(balanced),
      listAccounts: (c) => c.listAccounts().collect(),
      listEntries: (c) => c.listEntries().collect(),
    };
    for (const [helper, call] of Object.entries(calls)) {
      expect(typeof derived[helper as keyof LedgerlyHelpers], helper).toBe("function");
      await call(derived);
    }
    const apiCalls = server.seen.filter((r) => r.path.startsWith("/v1/"));
    expect(apiCalls.map((r) => `${r.method} ${r.path} ${r.headers["x-trace"]}`)).toEqual([
      "POST /v1/entries derived",
      "GET /v1/accounts derived",
      "GET /v1/entries derived",
    ]);
  });

  it("isLedgerlyError tells Ledgerly's errors apart and narrows by code", async () => {
    const { server, client } = await setup();
    const entry = { params: { path: { entryId: "ent-404" } } };
    const notFound = await client.unwrap(client.GET("/entries/{entryId}", entry)).catch((e: unknown) => e);
    expect(isLedgerlyError(notFound)).toBe(true);
    expect(isLedgerlyError(notFound, "not_found")).toBe(true);
    expect(isLedgerlyError(notFound, "unbalanced_entry")).toBe(false);
    const urls = { baseUrl: server.apiUrl, tokenUrl: server.tokenUrl };
    const wrong = createLedgerlyClient({ ...DEMO, clientSecret: "wrong", ...urls });
    const refused = await wrong.unwrap(wrong.GET("/accounts")).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(AuthenticationError);
    expect(isLedgerlyError(refused, "invalid_client")).toBe(true);
    expect(isLedgerlyError(new Error("not_found"))).toBe(false);
    const otherProvider = new ApiError("acme failed", { provider: "acme", status: 404, code: "not_found" });
    expect(isLedgerlyError(otherProvider)).toBe(false);
  });

  it("an error body that echoes the request hands out neither secret nor token, in { error } or ApiError", async () => {
    const recording = { lines: [] as string[], events: [] as SdkEvent[] };
    const log = (message: string, data?: Record<string, unknown>) => {
      recording.lines.push(`${message} ${JSON.stringify(data ?? {})} ${inspect(data, { depth: 10 })}`);
    };
    const logger = { debug: log, info: log, warn: log, error: log };
    const { server, client } = await setup({ echo: true }, { logger, onEvent: (e) => recording.events.push(e) });

    const { error, response } = await client.GET("/accounts", { params: { query: { type: "asset" } } });
    const thrown = await client.unwrap(client.GET("/accounts")).catch((e: unknown) => e);

    expect(response.status).toBe(400);
    expect(isLedgerlyError(thrown, "bad_request")).toBe(true);
    // The token was sent and quoted back, under the request's headers.
    const [token] = server.issuedTokens();
    expect(token).toBeDefined();
    expect(server.seen.find((r) => r.path === "/v1/accounts")?.headers.authorization).toBe(`Bearer ${token}`);
    const views = (value: unknown) => [
      String(value),
      inspect(value, { depth: null }),
      JSON.stringify(value) ?? "",
      value instanceof Error ? (value.stack ?? "") : "",
    ];
    const shown = [...views(error), ...views(thrown), ...recording.lines, JSON.stringify(recording.events)];
    for (const secret of [DEMO.clientSecret, token as string]) {
      for (const text of shown) expect(text).not.toContain(secret);
    }
  });
});

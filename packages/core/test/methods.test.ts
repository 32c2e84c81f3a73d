// Generated operation methods (`client.<tag>.<name>()`), per-call options, ApiError headers and debug logging, over a
// real socket. The method table is written by hand here in the shape scripts/generate.mjs emits.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ApiError,
  ConfigurationError,
  TimeoutError,
  createProviderClient,
  defineOperation,
  isXError,
  type MethodSpec,
  type MethodTable,
  type SdkEvent,
} from "../src/index.js";
import { json, recordingLogger, startTestServer, type RecordedRequest, type TestServer } from "./helpers.js";

// biome-ignore lint/suspicious/noExplicitAny: the runtime table is typed by the generator's `Methods`; here loosely.
type Loose = (...args: any[]) => any;
const op = (method: string, path: string, spec?: MethodSpec) => defineOperation<Loose>(method, path, spec);

const table = {
  items: {
    list: op("GET", "/items", {
      envelope: "data",
      paging: { style: "cursor", items: "data", param: "from_id", next: "meta.next_id" },
    }),
    show: op("GET", "/items/{item_id}", { operationId: "showItem", idempotent: true, envelope: "data" }),
    create: op("POST", "/items", { args: "body", envelope: "data" }),
    rename: op("POST", "/items/{item_id}/rename", { args: "params+body", envelope: "data" }),
    upload: op("POST", "/uploads", { args: "body", contentType: "application/x-www-form-urlencoded" }),
    whoami: op("GET", "/headers", { args: "none" }),
    download: op("GET", "/file", { args: "none", parseAs: "blob" }),
  },
  pages: {
    numbered: op("GET", "/numbered", {
      paging: { style: "page", items: "rows", param: "page", next: "paging.pageCount" },
    }),
    offset: op("GET", "/offset", { paging: { style: "offset", items: "rows", param: "skip", next: "total" } }),
    claimsMore: op("GET", "/claims-more", { paging: { style: "page", items: "rows", param: "page", next: "count" } }),
  },
} as const satisfies MethodTable;

let server: TestServer;
const seen: RecordedRequest[] = [];
let flaky = 0;

beforeAll(async () => {
  server = await startTestServer(async (req, res) => {
    seen.push(req);
    const url = new URL(req.url, "http://x");
    const q = Object.fromEntries(url.searchParams);
    if (req.path === "/items") {
      if (req.method === "POST") return json(res, 201, { data: { id: "3", ...JSON.parse(req.body).data } });
      const from = Number(q.from_id ?? 1);
      return json(res, 200, { data: [{ id: String(from) }], meta: { next_id: from < 3 ? String(from + 1) : null } });
    }
    if (req.path === "/items/404") {
      res.setHeader("retry-after", "7");
      res.setHeader("x-request-id", "req-404");
      res.setHeader("set-cookie", "session=cookie-secret");
      return json(res, 404, { error: { class: "ItemNotFound", echo: req.headers.authorization } });
    }
    if (req.path.startsWith("/items/") && req.path.endsWith("/rename"))
      return json(res, 200, { data: { id: req.path.split("/")[2], name: JSON.parse(req.body).data.name, q } });
    if (req.path.startsWith("/items/")) return json(res, 200, { data: { id: req.path.split("/")[2], q } });
    if (req.path === "/uploads") return json(res, 200, { type: req.headers["content-type"], body: req.body });
    if (req.path === "/numbered") {
      const page = Number(q.page);
      return json(res, 200, { rows: [page * 10, page * 10 + 1], paging: { pageCount: 3 } });
    }
    if (req.path === "/offset") {
      const skip = Number(q.skip ?? 0);
      return json(res, 200, { rows: skip < 5 ? [skip, skip + 1].filter((n) => n < 5) : [], total: 5 });
    }
    if (req.path === "/slow") return void setTimeout(() => json(res, 200, { ok: true }), 300);
    if (req.path === "/flaky") {
      flaky += 1;
      return json(res, flaky % 2 ? 503 : 200, { attempt: flaky });
    }
    if (req.path === "/headers") return json(res, 200, { extra: req.headers["x-extra"], base: req.headers["x-base"] });
    if (req.path === "/file") {
      res.writeHead(200, { "content-type": "application/pdf" });
      return void res.end("%PDF-1.7");
    }
    if (req.path === "/claims-more") return json(res, 200, { rows: Number(q.page) === 1 ? [1] : [], count: 9 });
    return json(res, 404, {});
  });
});
afterAll(() => server.close());

type AnyPaths = Record<string, Record<string, unknown>>;
type Methods = {
  items: { list: Loose; show: Loose; create: Loose; rename: Loose; upload: Loose; whoami: Loose; download: Loose };
  pages: { numbered: Loose; offset: Loose; claimsMore: Loose };
};

function client(extra: Record<string, unknown> = {}) {
  return createProviderClient<AnyPaths, {}, Methods>({
    provider: "acme",
    baseUrl: server.url,
    methods: table,
    retry: { retries: 2, minDelayMs: 1, maxDelayMs: 5 },
    secrets: ["Bearer sekret"],
    headers: { authorization: "Bearer sekret", "x-base": "b" },
    ...extra,
  });
}

describe("generated methods", () => {
  it("puts path parameters in the path, the rest in the query, and removes the envelope", async () => {
    const item = await client().items.show({ item_id: "7", expand: "all" });
    expect(item).toEqual({ id: "7", q: { expand: "all" } });
  });

  it("takes the body first when the operation has no parameters, and wraps it in the envelope", async () => {
    seen.length = 0;
    expect(await client().items.create({ name: "n" })).toEqual({ id: "3", name: "n" });
    expect(JSON.parse(seen[0]!.body)).toEqual({ data: { name: "n" } });
  });

  it("takes parameters then body, and gives the raw answer with withResponse()", async () => {
    const { data, response } = await client().items.rename({ item_id: "9" }, { name: "x" }).withResponse();
    expect(data).toEqual({ id: "9", name: "x", q: {} });
    expect(response.status).toBe(200);
  });

  it("sends a form body as form fields", async () => {
    const answer = await client().items.upload({ a: "1", b: 2 });
    expect(answer).toEqual({ type: "application/x-www-form-urlencoded", body: "a=1&b=2" });
  });

  it("walks every page: cursor, page number and offset", async () => {
    expect((await client().items.list().collect()).map((i: { id: string }) => i.id)).toEqual(["1", "2", "3"]);
    expect(await client().pages.numbered().collect()).toEqual([10, 11, 20, 21, 30, 31]);
    expect(await client().pages.offset().collect()).toEqual([0, 1, 2, 3, 4]);
  });

  it("throws an ApiError with the answer's headers (no cookie) and request id, scrubbed", async () => {
    const error = await client()
      .items.show({ item_id: "404" })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    const api = error as ApiError;
    expect(api.status).toBe(404);
    expect(api.requestId).toBe("req-404");
    expect(api.headers["retry-after"]).toBe("7");
    expect(api.headers["set-cookie"]).toBeUndefined();
    expect(JSON.stringify(api)).not.toContain("sekret");
    expect(JSON.stringify(api)).not.toContain("cookie-secret");
  });

  it("gives an operation without parameters or body its options as the only argument", async () => {
    expect(await client().items.whoami({ headers: { "x-extra": "e" } })).toEqual({ extra: "e", base: "b" });
  });

  it("reads a file answer as a Blob", async () => {
    const file = await client().items.download();
    expect(file).toBeInstanceOf(Blob);
    expect(await (file as Blob).text()).toBe("%PDF-1.7");
  });

  it("stops at an empty page, whatever page count it claims", async () => {
    seen.length = 0;
    expect(await client().pages.claimsMore().collect()).toEqual([1]);
    expect(seen.map((r) => r.url)).toEqual(["/claims-more?page=1", "/claims-more?page=2"]);
  });

  it("refuses params that are not an object, naming them", async () => {
    const error = await client()
      .items.show("7")
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as ConfigurationError).message).toMatch(/^params of acme GET \/items\/\{item_id\}/);
  });

  it("serves each operation as a function of any client, one without a method table included", async () => {
    const events: SdkEvent[] = [];
    const bare = createProviderClient<AnyPaths>({
      provider: "acme",
      baseUrl: server.url,
      onEvent: (e) => events.push(e),
    });
    expect("items" in bare).toBe(false);
    expect(await table.items.show(bare, { item_id: "9" })).toEqual({ id: "9", q: {} });
    // The function brings its operation's facts: the client has no operations table to look them up in.
    expect(events.find((e) => e.type === "request.finished")).toMatchObject({
      operationId: "showItem",
      path: "/items/{item_id}",
    });
    const derived = client().withOptions({ headers: { "x-extra": "e" } });
    expect(await table.items.whoami(derived)).toEqual({ extra: "e", base: "b" });
    expect(await table.pages.offset(bare).collect(10)).toEqual([0, 1, 2, 3, 4]);
  });

  it("refuses to call an operation with something that is not a client, naming the operation", () => {
    expect(() => table.items.show({ provider: "acme" }, { item_id: "1" })).toThrow(
      /^client of GET \/items\/\{item_id\} must be a client of its provider/,
    );
    expect(() => table.items.show(undefined)).toThrow(ConfigurationError);
  });

  it("joins a helper object named like a tag to that tag's methods", async () => {
    const joined = createProviderClient<AnyPaths, { items: { count(): number } }, Methods>({
      provider: "acme",
      baseUrl: server.url,
      methods: table,
      extend: () => ({ items: { count: () => 42 } }),
    });
    expect(joined.items.count()).toBe(42);
    expect(await joined.items.show({ item_id: "5" })).toEqual({ id: "5", q: {} });
  });

  it("keeps the methods on a withOptions copy", async () => {
    expect(await client().withOptions({ timeoutMs: 5000 }).items.show({ item_id: "1" })).toEqual({ id: "1", q: {} });
  });
});

describe("per-call options", () => {
  it("timeoutMs applies to that call only", async () => {
    const c = client();
    const error = await c.GET("/slow" as never, {}, { timeoutMs: 50 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as TimeoutError).timeoutMs).toBe(50);
    const ok = await c.GET("/slow" as never);
    expect(ok.response.status).toBe(200);
  });

  it("retry: false makes one attempt; retry options on a client without retries retry that call", async () => {
    flaky = 0;
    const once = await client().GET("/flaky" as never, {}, { retry: false });
    expect(once.response.status).toBe(503);
    flaky = 0;
    const noRetries = client({ retry: false });
    const retried = await noRetries.GET("/flaky" as never, {}, { retry: { retries: 1, minDelayMs: 1, maxDelayMs: 2 } });
    expect(retried.response.status).toBe(200);
    expect(flaky).toBe(2);
  });

  it("signal aborts the call, headers add to the client's", async () => {
    const controller = new AbortController();
    const pending = client().GET("/slow" as never, {}, { signal: controller.signal });
    controller.abort();
    await expect(pending).rejects.toMatchObject({ name: "AbortError" });
    const { data } = await client().GET("/headers" as never, {}, { headers: { "x-extra": "e" } });
    expect(data).toEqual({ extra: "e", base: "b" });
  });

  it("idempotent: true lets a POST be retried", async () => {
    flaky = 0;
    const post = await client().POST("/flaky" as never, {}, { idempotent: true });
    expect(post.response.status).toBe(200);
    flaky = 0;
    expect((await client().POST("/flaky" as never)).response.status).toBe(503);
  });

  it("bad options are a ConfigurationError naming the option, before anything is sent", async () => {
    seen.length = 0;
    const error = await client()
      .GET("/slow" as never, {}, { timeoutMs: -1 })
      .catch((e: unknown) => e);
    expect(isXError(error)).toBe(true);
    expect((error as ConfigurationError).option).toBe("options.timeoutMs");
    const month = await client()
      .GET("/slow" as never, {}, { timeoutMs: 31 * 24 * 3600 * 1000 })
      .catch((e: unknown) => e);
    expect((month as ConfigurationError).message).toMatch(/^options\.timeoutMs must be at most/);
    const retry = await client()
      .items.show({ item_id: "1" }, { retry: { retries: -1 } })
      .catch((e: unknown) => e);
    expect((retry as ConfigurationError).option).toBe("retry.retries");
    expect(seen).toHaveLength(0);
  });
});

describe("debug logging", () => {
  it("logs every request, retry and its request id at debug, without a secret", async () => {
    const { lines, logger } = recordingLogger();
    flaky = 0;
    await client({ logger }).GET("/flaky" as never);
    await client({ logger })
      .items.show({ item_id: "404" })
      .catch(() => {});
    const debug = lines.filter((line) => line.startsWith("debug"));
    const has = (pattern: RegExp) => debug.some((line) => pattern.test(line));
    expect(has(/acme request\.retry method=GET path=\/flaky attempt=1 delayMs=\d+ reason=status 503/)).toBe(true);
    expect(has(/request\.finished method=GET path=\/flaky .*status=200 durationMs=\d+ attempts=2/)).toBe(true);
    expect(has(/path=\/items\/\{item_id\} .*status=404 .*requestId=req-404/)).toBe(true);
    expect(lines.join("\n")).not.toContain("sekret");
  });

  it("X_LOG=debug logs to the console without a logger; unset, nothing", async () => {
    const original = console.debug;
    const printed: string[] = [];
    console.debug = (message: string) => printed.push(message);
    try {
      process.env.X_LOG = "debug";
      const logged = client();
      delete process.env.X_LOG;
      await logged.GET("/headers" as never);
      await client().GET("/headers" as never);
    } finally {
      console.debug = original;
      delete process.env.X_LOG;
    }
    expect(printed).toEqual([expect.stringMatching(/^acme request\.finished method=GET path=\/headers .*status=200/)]);
  });

  it("request(method, path) is a typed call like GET: its operation and its options", async () => {
    const events: SdkEvent[] = [];
    const c = createProviderClient<AnyPaths>({
      provider: "acme",
      baseUrl: server.url,
      operations: { "/items/{item_id}": { get: { operationId: "showItem" } } },
      onEvent: (e: SdkEvent) => events.push(e),
    });
    const path = { params: { path: { item_id: "8" } } };
    await c.request("get" as never, "/items/{item_id}" as never, path as never);
    expect(events).toContainEqual(
      expect.objectContaining({ type: "request.finished", path: "/items/{item_id}", operationId: "showItem" }),
    );
    const late = c.request("get" as never, "/slow" as never, {} as never, { timeoutMs: 30 } as never);
    await expect(late).rejects.toBeInstanceOf(TimeoutError);
    await expect(c.request("fetch" as never, "/slow" as never)).rejects.toMatchObject({ option: "method" });
  });

  it("request.finished carries the request id", async () => {
    const events: SdkEvent[] = [];
    await client({ onEvent: (e: SdkEvent) => events.push(e) })
      .items.show({ item_id: "404" })
      .catch(() => {});
    expect(events).toContainEqual(
      expect.objectContaining({ type: "request.finished", status: 404, requestId: "req-404" }),
    );
  });
});

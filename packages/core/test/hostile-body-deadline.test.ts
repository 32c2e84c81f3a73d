// Hostile servers, concern 2: the body. `timeoutMs` used to stop at the response headers, so a server that sends
// headers and then an endless or trickling body hung the call and grew the heap without bound.
import type { ServerResponse } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import {
  ApiError,
  ResponseTooLargeError,
  TimeoutError,
  createProviderClient,
  staticHeadersAuth,
} from "../src/index.js";
import { clientOfServer, json, type TestServer } from "./helpers.js";

type Paths = {
  "/things": {
    get: {
      responses: {
        200: { content: { "application/json": unknown } };
        403: { content: { "application/json": unknown } };
      };
    };
  };
};
const servers: TestServer[] = [];
const timers: NodeJS.Timeout[] = [];
afterEach(async () => {
  timers.splice(0).forEach(clearInterval);
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

/** Sends the headers at once, then `chunk` every `everyMs`, forever (until the client goes away). */
function drip(res: ServerResponse, status: number, chunk: string, everyMs: number) {
  res.writeHead(status, { "content-type": "application/json" });
  res.write('{"items":["');
  const timer = setInterval(() => (res.destroyed ? clearInterval(timer) : res.write(chunk)), everyMs);
  timers.push(timer);
}

const client = (
  handler: (res: ServerResponse) => void,
  options: { timeoutMs?: number; maxResponseBytes?: number } = {},
) =>
  clientOfServer<Paths>(servers, handler, {
    ...options,
    auth: staticHeadersAuth({ headers: { "x-api-key": "k-123456789" } }),
  });

async function settle(call: Promise<unknown>) {
  const started = Date.now();
  const outcome = await call.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
  return { ...outcome, ms: Date.now() - started } as { value?: unknown; error?: unknown; ms: number };
}

describe("the deadline covers the body", () => {
  it("a 200 with a 1-byte-per-100 ms body ends in TimeoutError at the deadline", async () => {
    const api = await client((res) => drip(res, 200, "a", 100));
    const { error, ms } = await settle(api.GET("/things"));
    expect(error).toBeInstanceOf(TimeoutError);
    expect(ms).toBeLessThan(2_000);
  });

  it("client.fetch: reading an endless body ends in TimeoutError too", async () => {
    const api = await client((res) => drip(res, 200, "x".repeat(1024), 5));
    const { error, ms } = await settle(api.fetch(`${api.baseUrl}/things`).then((r) => r.text()));
    expect(error).toBeInstanceOf(TimeoutError);
    expect(ms).toBeLessThan(2_000);
  });

  it("an error body (403) that arrives after the deadline is a TimeoutError, through unwrap too", async () => {
    const api = await client((res) => drip(res, 403, "e", 100));
    const typed = await settle(api.GET("/things"));
    expect(typed.error).toBeInstanceOf(TimeoutError);
    const unwrapped = await settle(api.unwrap(api.GET("/things")));
    expect(unwrapped.error).toBeInstanceOf(TimeoutError);
    expect(unwrapped.ms).toBeLessThan(2_000);
  });

  it("a body read within the deadline is unaffected (and the deadline does not fire afterwards)", async () => {
    const api = await client((res) => json(res, 200, { ok: true }), { timeoutMs: 100 });
    const { value } = await settle(api.GET("/things"));
    expect((value as { data: unknown }).data).toEqual({ ok: true });
    await new Promise((r) => setTimeout(r, 150));
  });

  it("an error body read in time is still an ApiError", async () => {
    const api = await client((res) => json(res, 403, { code: "nope" }));
    const { error } = await settle(api.unwrap(api.GET("/things")));
    expect(error).toBeInstanceOf(ApiError);
  });
});

describe("maxResponseBytes", () => {
  it("an endless fast body ends in ResponseTooLargeError, and the heap stays flat", async () => {
    const api = await client((res) => drip(res, 200, "y".repeat(64 * 1024), 1), {
      timeoutMs: 30_000,
      maxResponseBytes: 2 * 1024 * 1024,
    });
    globalThis.gc?.();
    const before = process.memoryUsage().heapUsed;
    const { error, ms } = await settle(api.GET("/things"));
    expect(error).toBeInstanceOf(ResponseTooLargeError);
    expect((error as ResponseTooLargeError).maxResponseBytes).toBe(2 * 1024 * 1024);
    expect((error as ResponseTooLargeError).message).toContain("maxResponseBytes");
    expect(ms).toBeLessThan(10_000);
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(40 * 1024 * 1024);
  });

  it("a Content-Length over the limit fails before the body is read", async () => {
    const api = await client(
      (res) => {
        res.writeHead(200, { "content-type": "application/json", "content-length": String(10 * 1024 * 1024) });
        res.write("[");
      },
      { maxResponseBytes: 1024 },
    );
    const { error, ms } = await settle(api.GET("/things"));
    expect(error).toBeInstanceOf(ResponseTooLargeError);
    expect(ms).toBeLessThan(1_000);
  });

  it("is validated", () => {
    for (const maxResponseBytes of [0, -1, 1.5, Number.NaN, "10" as unknown as number])
      expect(() =>
        createProviderClient<Paths>({ provider: "acme", baseUrl: "https://api.example.com", maxResponseBytes }),
      ).toThrow(/maxResponseBytes/);
  });
});

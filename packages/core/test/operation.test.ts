import { afterEach, describe, expect, it } from "vitest";
import { createProviderClient, definePlugin, staticHeadersAuth, type Operation, type SdkEvent } from "../src/index.js";
import { json, startTestServer, type TestServer } from "./helpers.js";

type Paths = {
  "/things/{thing_id}": {
    get: {
      parameters: { path: { thing_id: string } };
      responses: { 200: { content: { "application/json": { id: string } } } };
    };
  };
  "/things": {
    post: {
      requestBody: { content: { "application/json": { data: { action: string } } } };
      responses: { 200: { content: { "application/json": unknown } } };
    };
  };
};

const servers: TestServer[] = [];
afterEach(async () => Promise.all(servers.splice(0).map((s) => s.close())));
const fastRetry = { retries: 2, minDelayMs: 1, maxDelayMs: 5 };

describe("ctx.operation", () => {
  it(
    "names the spec operation of a typed call (method, path " +
      "template, operationId) and is undefined for client.fetch",
    async () => {
      const server = await startTestServer((req, res) => json(res, 200, { id: req.path }));
      servers.push(server);
      const seen: Array<Operation | undefined> = [];
      const recorder = definePlugin({
        name: "recorder",
        middleware: (request, next, ctx) => (seen.push(ctx.operation), next(request)),
      });
      const client = createProviderClient<Paths>({
        provider: "acme",
        baseUrl: server.url,
        plugins: [recorder],
        operations: { "/things/{thing_id}": { get: { operationId: "showThing" } } },
      });
      const { data } = await client.GET("/things/{thing_id}", { params: { path: { thing_id: "th_42" } } });
      expect(data).toEqual({ id: "/things/th_42" });
      await client.fetch(`${server.url}/things/th_42`);
      expect(seen).toEqual([{ method: "GET", path: "/things/{thing_id}", operationId: "showThing" }, undefined]);
    },
  );

  it("events report the path template and operationId, never the ids in the URL", async () => {
    const server = await startTestServer((_req, res) => json(res, 200, { id: "x" }));
    servers.push(server);
    const events: SdkEvent[] = [];
    const client = createProviderClient<Paths>({
      provider: "acme",
      baseUrl: server.url,
      onEvent: (e) => events.push(e),
      operations: { "/things/{thing_id}": { get: { operationId: "showThing" } } },
    });
    await client.GET("/things/{thing_id}", { params: { path: { thing_id: "secret-customer-7" } } });
    expect(events).toEqual([
      expect.objectContaining({
        type: "request.finished",
        path: "/things/{thing_id}",
        operationId: "showThing",
        status: 200,
      }),
    ]);
    expect(JSON.stringify(events)).not.toContain("secret-customer-7");
  });

  it("retries a POST whose action the spec marks as only reading, and sends a creating action once", async () => {
    const server = await startTestServer((_req, res) => json(res, 503, {}));
    servers.push(server);
    const client = createProviderClient<Paths>({
      provider: "acme",
      baseUrl: server.url,
      retry: fastRetry,
      operations: { "/things": { post: { idempotent: true, idempotentActions: ["list"] } } },
      actionOf: (body) => (body as { data?: { action?: unknown } } | undefined)?.data?.action,
    });
    await client.POST("/things", { body: { data: { action: "list" } } });
    expect(server.requests).toHaveLength(3);
    await client.POST("/things", { body: { data: { action: "create" } } });
    expect(server.requests).toHaveLength(4);
  });
});

describe("request values", () => {
  it("sends a Blob body as the same Blob on every attempt, never read into memory by the pipeline", async () => {
    let calls = 0;
    const server = await startTestServer((req, res) => {
      calls += 1;
      // The first send gets a 503; the retry re-sends the same value.
      if (calls === 1) return json(res, 503, {});
      return json(res, 200, { length: req.body.length });
    });
    servers.push(server);
    const blob = new Blob(["x".repeat(100_000)], { type: "application/octet-stream" });
    const bodies: unknown[] = [];
    const client = createProviderClient<Paths>({
      provider: "acme",
      baseUrl: server.url,
      retry: fastRetry,
      idempotent: true,
      auth: staticHeadersAuth({ headers: { "x-key": "k" } }),
      // The real fetch, observed: what the transport hands it is what goes on the wire.
      fetch: (input, init) => (bodies.push(init?.body), globalThis.fetch(input, init)),
    });
    const response = await client.fetch(`${server.url}/upload`, { method: "POST", body: blob });
    expect(await response.json()).toEqual({ length: 100_000 });
    expect(server.requests.map((r) => r.body.length)).toEqual([100_000, 100_000]);
    expect(bodies).toEqual([blob, blob]);
    expect(bodies.every((body) => body === blob)).toBe(true);
  });
});

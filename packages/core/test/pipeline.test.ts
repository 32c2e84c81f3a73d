import { afterEach, describe, expect, it } from "vitest";
import { createProviderClient, definePlugin, staticHeadersAuth, withHeaders, type SdkEvent } from "../src/index.js";
import { json, startTestServer, type TestServer } from "./helpers.js";

type Paths = {
  "/things": {
    post: {
      requestBody: { content: { "application/json": { name: string } } };
      responses: { 200: { content: { "application/json": { seen: string } } } };
    };
  };
};
const servers: TestServer[] = [];
afterEach(async () => Promise.all(servers.splice(0).map((s) => s.close())));

describe("plugin pipeline", () => {
  it(
    "runs plugins in order, inside retry and outside auth, " + "and lets a plugin call next twice with the same body",
    async () => {
      const server = await startTestServer((req, res) => json(res, 200, { seen: req.body }));
      servers.push(server);
      const order: string[] = [];
      const headersAfterFirstSend: string[][] = [];
      const twice = definePlugin({
        name: "twice",
        async middleware(request, next) {
          order.push("twice");
          await (await next(request)).text();
          // What the plugins and auth inside added went into their own copies, not into this value.
          headersAfterFirstSend.push([...request.headers.keys()]);
          return next(request);
        },
      });
      const trace = definePlugin({
        name: "trace",
        async middleware(request, next) {
          order.push("trace");
          return next(withHeaders(request, { "x-trace": "t-1" }));
        },
      });
      const client = createProviderClient<Paths>({
        provider: "acme",
        baseUrl: server.url,
        plugins: [twice, trace],
        auth: staticHeadersAuth({ headers: { "x-key": "k" } }),
        userAgent: "my-app/1.0",
      });
      const { data } = await client.POST("/things", { body: { name: "Zoë" } });
      expect(data).toEqual({ seen: '{"name":"Zoë"}' });
      expect(order).toEqual(["twice", "trace", "trace"]);
      expect(headersAfterFirstSend[0]).not.toContain("x-trace");
      expect(headersAfterFirstSend[0]).not.toContain("x-key");
      expect(server.requests).toHaveLength(2);
      expect(server.requests.map((r) => r.body)).toEqual(['{"name":"Zoë"}', '{"name":"Zoë"}']);
      expect(server.requests[1]?.headers["x-trace"]).toBe("t-1");
      expect(server.requests[1]?.headers["x-key"]).toBe("k");
      expect(server.requests[0]?.headers["user-agent"]).toMatch(/^my-app\/1\.0 x-sdk\//);
    },
  );

  it(
    "sends the client's default headers on typed calls " + "and client.fetch alike, a per-call header winning",
    async () => {
      const server = await startTestServer((_req, res) => json(res, 200, {}));
      servers.push(server);
      const client = createProviderClient<Paths>({
        provider: "acme",
        baseUrl: server.url,
        headers: { "X-Version": "2023-06-01" },
      });
      await client.POST("/things", { body: { name: "a" } });
      await client.fetch(`${server.url}/things`);
      await client.POST("/things", { body: { name: "a" }, headers: { "X-Version": "2024-01-25" } });
      expect(server.requests.map((r) => r.headers["x-version"])).toEqual(["2023-06-01", "2023-06-01", "2024-01-25"]);
    },
  );

  it("reports a finished request with status, path and duration, and survives a throwing onEvent", async () => {
    const server = await startTestServer((_req, res) => json(res, 201, {}));
    servers.push(server);
    const events: SdkEvent[] = [];
    const client = createProviderClient<Paths>({
      provider: "acme",
      baseUrl: server.url,
      onEvent: (e) => {
        events.push(e);
        throw new Error("handler bug");
      },
    });
    const response = await client.fetch(`${server.url}/things?secret=1`, { method: "POST", body: "{}" });
    expect(response.status).toBe(201);
    expect(events).toEqual([
      expect.objectContaining({ type: "request.finished", method: "POST", path: "/things", status: 201, attempts: 1 }),
    ]);
  });

  it("scrubs the client's secrets from an ApiError even when the provider echoes them in its message", async () => {
    const server = await startTestServer((req, res) =>
      json(res, 400, {
        message: `bad request with key ${req.headers["x-key"]}`,
        request: { headers: { "x-key": req.headers["x-key"] } },
      }),
    );
    servers.push(server);
    const client = createProviderClient<Paths>({
      provider: "acme",
      baseUrl: server.url,
      auth: staticHeadersAuth({ headers: { "x-key": "echoed-secret-77" } }),
      secrets: ["echoed-secret-77"],
      describeError: (body) => body as { message: string },
    });
    const error = await client.unwrap(client.POST("/things", { body: { name: "a" } })).catch((e: unknown) => e);
    expect((error as Error).message).toContain("bad request with key [redacted]");
    expect(JSON.stringify(error)).not.toContain("echoed-secret-77");
  });

  it("takes the request id from the error body when the headers carry none", async () => {
    const server = await startTestServer((_req, res) => json(res, 422, { requestId: "body-req-9" }));
    servers.push(server);
    const client = createProviderClient<Paths>({
      provider: "acme",
      baseUrl: server.url,
      describeError: (body) => body as { requestId: string },
    });
    await expect(client.unwrap(client.POST("/things", { body: { name: "a" } }))).rejects.toMatchObject({
      requestId: "body-req-9",
    });
  });

  it(
    "extend is told the withOptions overrides a client was " +
      "derived with, accumulated, so a helper can pass them on",
    async () => {
      const server = await startTestServer((_req, res) => json(res, 200, {}));
      servers.push(server);
      const seen: unknown[] = [];
      const client = createProviderClient<Paths, object>({
        provider: "acme",
        baseUrl: server.url,
        extend: (_self, overrides) => (seen.push(overrides), {}),
      });
      client
        .withOptions({ timeoutMs: 5_000, headers: { "X-Flag": "on" } })
        .withOptions({ headers: { "x-other": "1" } });
      expect(seen).toEqual([
        {},
        { timeoutMs: 5_000, headers: { "x-flag": "on" } },
        { timeoutMs: 5_000, headers: { "x-flag": "on", "x-other": "1" } },
      ]);
    },
  );

  it("a provider's helpers added with extend survive withOptions", async () => {
    const server = await startTestServer((req, res) => json(res, 200, { seen: req.headers["x-flag"] ?? "none" }));
    servers.push(server);
    const client = createProviderClient<Paths, { hello(): Promise<unknown> }>({
      provider: "acme",
      baseUrl: server.url,
      extend: (self) => ({ hello: () => self.unwrap(self.POST("/things", { body: { name: "a" } })) }),
    });
    expect(await client.hello()).toEqual({ seen: "none" });
    expect(await client.withOptions({ headers: { "x-flag": "on" } }).hello()).toEqual({ seen: "on" });
  });

  it("unwrap returns data on success and throws ApiError with status, code and request id otherwise", async () => {
    const server = await startTestServer((_req, res) =>
      json(res, 404, { code: "NOT_FOUND", message: "no such thing" }, { "x-request-id": "req-42" }),
    );
    servers.push(server);
    const client = createProviderClient<Paths>({
      provider: "acme",
      baseUrl: server.url,
      describeError: (body) => body as { code: string; message: string },
    });
    const error = await client.unwrap(client.POST("/things", { body: { name: "a" } })).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: "ApiError", status: 404, code: "NOT_FOUND", requestId: "req-42" });
    expect((error as Error).message).toContain("no such thing");
  });

  it(
    "plainFetch refuses a Request (the v1 contract) with a " + "ConfigurationError naming the call, and sends nothing",
    async () => {
      const server = await startTestServer((_req, res) => json(res, 200, {}));
      servers.push(server);
      const client = createProviderClient<Paths>({ provider: "acme", baseUrl: server.url });
      const legacy = client.runtime.plainFetch as unknown as (request: Request) => Promise<Response>;
      await expect(legacy(new Request(`${server.url}/token`, { method: "POST" }))).rejects.toMatchObject({
        name: "ConfigurationError",
        option: "plainFetch(url, init)",
      });
      expect(server.requests).toHaveLength(0);
      expect((await client.runtime.plainFetch(`${server.url}/token`, { method: "POST", body: "a=1" })).status).toBe(
        200,
      );
    },
  );
});

import { afterEach, describe, expect, it } from "vitest";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { NetworkError, createProviderClient, oauth2Auth, parseRetryAfter, type SdkEvent } from "../src/index.js";
import { json, startTestServer, type TestServer } from "./helpers.js";

type Paths = Record<string, never>;
const servers: TestServer[] = [];
afterEach(async () => Promise.all(servers.splice(0).map((s) => s.close())));
const fast = { retries: 2, minDelayMs: 1, maxDelayMs: 50 };

describe("retries", () => {
  it("retries 503 and 429 on a GET until it succeeds, reporting each retry", async () => {
    const statuses = [503, 429, 200];
    const server = await startTestServer((_req, res) => json(res, statuses.shift() ?? 200, {}));
    servers.push(server);
    const events: SdkEvent[] = [];
    const client = createProviderClient<Paths>({
      provider: "acme",
      baseUrl: server.url,
      retry: fast,
      onEvent: (e) => events.push(e),
    });
    const response = await client.fetch(`${server.url}/x`);
    expect(response.status).toBe(200);
    expect(server.requests).toHaveLength(3);
    expect(events.filter((e) => e.type === "request.retry").map((e) => (e as { reason: string }).reason)).toEqual([
      "status 503",
      "status 429",
    ]);
    expect(events.find((e) => e.type === "request.finished")).toMatchObject({ status: 200, attempts: 3 });
  });

  it("gives up after `retries` and returns the last response", async () => {
    const server = await startTestServer((_req, res) => json(res, 500, {}));
    servers.push(server);
    const client = createProviderClient<Paths>({ provider: "acme", baseUrl: server.url, retry: fast });
    expect((await client.fetch(`${server.url}/x`)).status).toBe(500);
    expect(server.requests).toHaveLength(3);
  });

  it("does not retry a POST unless the client says it is idempotent", async () => {
    const server = await startTestServer((_req, res) => json(res, 503, {}));
    servers.push(server);
    const client = createProviderClient<Paths>({ provider: "acme", baseUrl: server.url, retry: fast });
    expect((await client.fetch(`${server.url}/x`, { method: "POST", body: "{}" })).status).toBe(503);
    expect(server.requests).toHaveLength(1);
    await client.withOptions({ idempotent: true }).fetch(`${server.url}/x`, { method: "POST", body: "{}" });
    expect(server.requests).toHaveLength(4);
  });

  it("does not retry statuses that would fail again (510, 423, 400)", async () => {
    for (const status of [510, 423, 400]) {
      const server = await startTestServer((_req, res) => json(res, status, {}));
      servers.push(server);
      const client = createProviderClient<Paths>({ provider: "acme", baseUrl: server.url, retry: fast });
      expect((await client.fetch(`${server.url}/x`)).status).toBe(status);
      expect(server.requests).toHaveLength(1);
    }
  });

  it("honours Retry-After in seconds, capped by maxDelayMs", async () => {
    const statuses = [429, 200];
    const server = await startTestServer((_req, res) => json(res, statuses.shift() ?? 200, {}, { "retry-after": "1" }));
    servers.push(server);
    const events: SdkEvent[] = [];
    const client = createProviderClient<Paths>({
      provider: "acme",
      baseUrl: server.url,
      retry: { retries: 1, minDelayMs: 1, maxDelayMs: 300 },
      onEvent: (e) => events.push(e),
    });
    await client.fetch(`${server.url}/x`);
    expect(events.find((e) => e.type === "request.retry")).toMatchObject({ delayMs: 300 });
  });

  it("parses Retry-After as seconds or an HTTP date", () => {
    expect(parseRetryAfter("2")).toBe(2000);
    const now = Date.parse("2026-01-01T00:00:00Z");
    expect(parseRetryAfter("Thu, 01 Jan 2026 00:00:05 GMT", now)).toBe(5000);
    expect(parseRetryAfter("soon")).toBeUndefined();
  });

  it("retries dropped connections and then raises a NetworkError", async () => {
    let hits = 0;
    const server = createServer((req) => {
      hits += 1;
      req.socket.destroy();
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const client = createProviderClient<Paths>({ provider: "acme", baseUrl: url, retry: fast });
      const error = await client.fetch(`${url}/x`).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(NetworkError);
      expect(hits).toBe(3);
    } finally {
      server.close();
    }
  });

  it("retries token requests like GETs", async () => {
    const tokenStatuses = [503, 200];
    const server = await startTestServer((req, res) => {
      if (req.path === "/token") {
        const status = tokenStatuses.shift() ?? 200;
        return status === 200 ? json(res, 200, { access_token: "t", expires_in: 60 }) : json(res, status, {});
      }
      json(res, 200, { ok: true });
    });
    servers.push(server);
    const client = createProviderClient<Paths>({
      provider: "acme",
      baseUrl: server.url,
      retry: fast,
      auth: oauth2Auth({
        tokenUrl: `${server.url}/token`,
        clientId: "c",
        clientSecret: "s",
        grant: { type: "client_credentials" },
      }),
    });
    expect((await client.fetch(`${server.url}/x`)).status).toBe(200);
    expect(server.requests.filter((r) => r.path === "/token")).toHaveLength(2);
  });
});

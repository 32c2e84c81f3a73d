import { afterEach, describe, expect, it } from "vitest";
import { AbortError, TimeoutError, createProviderClient } from "../src/index.js";
import { json, startTestServer, type TestServer } from "./helpers.js";

type Paths = Record<string, never>;
const servers: TestServer[] = [];
afterEach(async () => Promise.all(servers.splice(0).map((s) => s.close())));

describe("timeouts and aborts", () => {
  it("raises TimeoutError naming the path and the limit, not the query string", async () => {
    const server = await startTestServer(async (_req, res) => {
      await new Promise((r) => setTimeout(r, 500));
      json(res, 200, {});
    });
    servers.push(server);
    const client = createProviderClient<Paths>({ provider: "acme", baseUrl: server.url, timeoutMs: 50, retry: false });
    const error = (await client.fetch(`${server.url}/slow/path?token=abc123`).catch((e: unknown) => e)) as TimeoutError;
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error.message).toContain("/slow/path");
    expect(error.message).toContain("50 ms");
    expect(error.message).not.toContain("abc123");
  });

  it("the timeout bounds retries too", async () => {
    const server = await startTestServer((_req, res) => json(res, 503, {}, { "retry-after": "10" }));
    servers.push(server);
    const client = createProviderClient<Paths>({
      provider: "acme",
      baseUrl: server.url,
      timeoutMs: 100,
      retry: { retries: 5, maxDelayMs: 10_000 },
    });
    const started = Date.now();
    await expect(client.fetch(`${server.url}/x`)).rejects.toBeInstanceOf(TimeoutError);
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it("the caller's AbortSignal aborts the call with AbortError", async () => {
    const server = await startTestServer(async (_req, res) => {
      await new Promise((r) => setTimeout(r, 500));
      json(res, 200, {});
    });
    servers.push(server);
    const client = createProviderClient<Paths>({ provider: "acme", baseUrl: server.url });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 30);
    await expect(client.fetch(`${server.url}/x`, { signal: controller.signal })).rejects.toBeInstanceOf(AbortError);
  });

  it("a Request's own signal aborts the call too (client.fetch(new Request(url, { signal })))", async () => {
    const server = await startTestServer(async (_req, res) => {
      await new Promise((r) => setTimeout(r, 500));
      json(res, 200, {});
    });
    servers.push(server);
    const client = createProviderClient<Paths>({ provider: "acme", baseUrl: server.url });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 30);
    const request = new Request(`${server.url}/x`, { signal: controller.signal });
    await expect(client.fetch(request)).rejects.toBeInstanceOf(AbortError);
  });
});

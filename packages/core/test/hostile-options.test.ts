// Hostile input, concern 7: options. Each is refused at construction with a ConfigurationError naming the option
// (or, for a partial logger, completed), so none surfaces mid-call as a TypeError or a misleading error.
import { afterEach, describe, expect, it } from "vitest";
import { ConfigurationError, createProviderClient } from "../src/index.js";
import { json, startTestServer, type TestServer } from "./helpers.js";

type Paths = Record<string, never>;
const servers: TestServer[] = [];
afterEach(async () => Promise.all(servers.splice(0).map((s) => s.close())));

const BASE = "https://api.example.com";
const refusal = (options: Record<string, unknown>) => {
  try {
    createProviderClient<Paths>({ provider: "acme", baseUrl: BASE, ...options } as never);
  } catch (error) {
    return error as ConfigurationError;
  }
  throw new Error(`accepted ${JSON.stringify(options)}`);
};

describe("client options are validated at construction", () => {
  it.each([
    ["timeoutMs", { timeoutMs: 3e9 }],
    ["timeoutMs", { timeoutMs: Number.NaN }],
    ["timeoutMs", { timeoutMs: 0 }],
    ["retry.retries", { retry: { retries: Number.NaN } }],
    ["retry.maxDelayMs", { retry: { maxDelayMs: Number.NaN } }],
    ["retry.minDelayMs", { retry: { minDelayMs: -1 } }],
    ["headers", { headers: { "bad name": "x" } }],
    ["fetch", { fetch: "x" }],
    ["logger.warn", { logger: { warn: "x" } }],
    ["baseUrl", { baseUrl: "https://user:pw@api.example.com" }],
    ["baseUrl", { baseUrl: "https://user@api.example.com" }],
    ["baseUrl", { baseUrl: "http://0.0.0.0:8080" }],
    ["baseUrl", { baseUrl: "http://[::ffff:127.0.0.1]:8080" }],
    ["maxResponseBytes", { maxResponseBytes: -5 }],
  ])("%s: %j", (option, options) => {
    const error = refusal(options);
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(error.option).toBe(option);
    expect(error.message).toContain(option);
    expect(error.message).not.toContain("pw");
  });

  it("withOptions checks its overrides the same way", () => {
    const client = createProviderClient<Paths>({ provider: "acme", baseUrl: BASE });
    expect(() => client.withOptions({ timeoutMs: 3e9 })).toThrow(ConfigurationError);
    expect(() => client.withOptions({ retry: { retries: Number.NaN } })).toThrow(ConfigurationError);
    expect(() => client.withOptions({ maxResponseBytes: 0 })).toThrow(ConfigurationError);
  });

  it("a logger with missing methods ({}) is completed: a retry that logs does not fail the call", async () => {
    let calls = 0;
    const server = await startTestServer((_req, res) => (++calls === 1 ? json(res, 503, {}) : json(res, 200, {})));
    servers.push(server);
    const client = createProviderClient<Paths>({
      provider: "acme",
      baseUrl: server.url,
      logger: {} as never,
      retry: { retries: 1, minDelayMs: 1, maxDelayMs: 1 },
    });
    expect((await client.fetch(`${server.url}/x`)).status).toBe(200);
    expect(calls).toBe(2);
  });
});

import { afterEach, describe, expect, it } from "vitest";
import {
  ConfigurationError,
  createProviderClient,
  definePlugin,
  mergeHeaders,
  resolveRetryOptions,
  staticHeadersAuth,
  type Logger,
  type ProviderClientOptions,
} from "../src/index.js";
import { json, startTestServer, type TestServer } from "./helpers.js";

type Paths = Record<string, never>;
const servers: TestServer[] = [];
afterEach(async () => Promise.all(servers.splice(0).map((s) => s.close())));

const base = { provider: "acme", baseUrl: "https://api.acme.example" };

/** The ConfigurationError that building a client with `options` throws. */
function refusal(options: Partial<ProviderClientOptions>): ConfigurationError {
  try {
    createProviderClient<Paths>({ ...base, ...options } as ProviderClientOptions);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigurationError);
    return error as ConfigurationError;
  }
  throw new Error("the options were accepted");
}

describe("options are checked once, at construction, naming the option", () => {
  it.each([
    [{ timeoutMs: 2 ** 31 }, "timeoutMs", /at most 2147483647/],
    [{ retry: { retries: -1 } }, "retry.retries", /integer >= 0/],
    [{ retry: { retries: 1.5 } }, "retry.retries", /integer >= 0/],
    [{ retry: { minDelayMs: Number.NaN } }, "retry.minDelayMs", />= 0/],
    [{ retry: { maxDelayMs: Infinity } }, "retry.maxDelayMs", />= 0/],
    [{ retry: { minDelayMs: -5 } }, "retry.minDelayMs", />= 0/],
    [{ retry: { minDelayMs: 100, maxDelayMs: 50 } }, "retry.maxDelayMs", />= retry.minDelayMs/],
    [{ retry: { statuses: [503, 600] } }, "retry.statuses", /100-599/],
    [{ retry: { statuses: ["503"] } }, "retry.statuses", /100-599/],
    [{ retry: true }, "retry", /retry options or false/],
    [{ headers: { "Bad Header": "x" } }, "headers", /valid header names/],
    [{ headers: { "x-key": "line\nbreak" } }, "headers", /without line breaks/],
    [{ fetch: "https://proxy.example" }, "fetch", /must be a function/],
    [{ onEvent: {} }, "onEvent", /must be a function/],
    [{ logger: { debug: console.debug, info: "yes" } }, "logger.info", /must be a function/],
    [{ provider: "" }, "provider", /non-empty/],
  ] as const)("%j is refused", (options, option, message) => {
    const error = refusal(options as Partial<ProviderClientOptions>);
    expect(error.option).toBe(option);
    expect(error.message).toMatch(message);
    expect(error.message.startsWith(option)).toBe(true);
  });

  it("a header value is never echoed in the error", () => {
    expect(refusal({ headers: { "x-key": "s3cret\r\nx" } }).message).not.toContain("s3cret");
  });

  it("withOptions checks its overrides the same way", () => {
    const client = createProviderClient<Paths>(base);
    expect(() => client.withOptions({ timeoutMs: -1 })).toThrow(ConfigurationError);
    expect(() => client.withOptions({ retry: { retries: -1 } })).toThrow(/retry.retries/);
  });

  it("a cap alone (`{ maxDelayMs: 5 }`) is accepted: the base follows it down", () => {
    expect(resolveRetryOptions({ maxDelayMs: 5 })).toEqual({
      retries: 2,
      minDelayMs: 5,
      maxDelayMs: 5,
      statuses: [408, 429, 500, 502, 503, 504],
    });
  });
});

describe("logger", () => {
  it(
    "a logger with only warn and error gets no-ops for debug and info, so " +
      "a retry (which logs at debug) still works; its methods keep `this`",
    async () => {
      const statuses = [503, 200];
      const server = await startTestServer((_req, res) => json(res, statuses.shift() ?? 200, {}));
      servers.push(server);
      class WarningsOnly {
        lines: string[] = [];
        warn(message: string) {
          this.lines.push(`warn ${message}`);
        }
        error(message: string) {
          this.lines.push(`error ${message}`);
        }
      }
      const logger = new WarningsOnly();
      const client = createProviderClient<Paths>({
        provider: "acme",
        baseUrl: server.url,
        logger: logger as unknown as Logger,
        retry: { minDelayMs: 1, maxDelayMs: 2 },
        onEvent: () => {
          throw new Error("handler bug");
        },
      });
      expect((await client.fetch(`${server.url}/x`)).status).toBe(200);
      expect(server.requests).toHaveLength(2);
      expect(logger.lines).toContain("warn onEvent handler threw");
    },
  );
});

describe("headers", () => {
  it(
    "one merge for creation and withOptions: names are case-insensitive " +
      "and the override wins, on typed calls and client.fetch alike",
    async () => {
      const server = await startTestServer((_req, res) => json(res, 200, {}));
      servers.push(server);
      const client = createProviderClient<{
        "/x": { get: { responses: { 200: { content: { "application/json": unknown } } } } };
      }>({ provider: "acme", baseUrl: server.url, headers: { "X-Version": "1" } });
      const derived = client.withOptions({ headers: { "x-version": "2" } });
      await derived.fetch(`${server.url}/x`);
      await derived.GET("/x");
      await derived.withOptions({}).fetch(`${server.url}/x`);
      expect(server.requests.map((r) => r.headers["x-version"])).toEqual(["2", "2", "2"]);
      expect(mergeHeaders({ "User-Agent": "a", "X-A": "1" }, { "user-agent": "b" })).toEqual({
        "user-agent": "b",
        "x-a": "1",
      });
    },
  );
});

describe("plugins", () => {
  const named = (name: string) => definePlugin({ name, middleware: (request, next) => next(request) });

  it("two plugins with one name are refused, naming it; so is a plugin that takes a built-in's name", () => {
    const error = refusal({ plugins: [named("trace"), named("trace")] });
    expect(error.option).toBe("plugins");
    expect(error.message).toContain('"trace"');
    expect(refusal({ plugins: [named("retry")] }).message).toContain('"retry"');
    expect(
      refusal({ plugins: [named("static-headers-auth")], auth: staticHeadersAuth({ headers: { "x-key": "k" } }) })
        .message,
    ).toContain('"static-headers-auth"');
  });

  it("client.plugins lists the stack a call goes through, outermost first", () => {
    const client = createProviderClient<Paths>({
      ...base,
      plugins: [named("trace")],
      auth: staticHeadersAuth({ headers: { "x-key": "k" }, name: "acme-auth" }),
    });
    expect(client.plugins).toEqual(["timeout", "retry", "trace", "acme-auth"]);
    // `retry: false` is a single attempt, but the retry plugin stays, so that one call can still ask for retries.
    expect(client.withOptions({ retry: false }).plugins).toEqual(["timeout", "retry", "trace", "acme-auth"]);
  });
});

import { inspect } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import {
  ConfigurationError,
  assertSecureUrl,
  createProviderClient,
  oauth2Auth,
  requireString,
  staticHeadersAuth,
  type SdkEvent,
} from "../src/index.js";
import { json, recordingLogger, startTestServer, type TestServer } from "./helpers.js";

type Paths = Record<string, never>;
const servers: TestServer[] = [];
afterEach(async () => Promise.all(servers.splice(0).map((s) => s.close())));

describe("HTTPS only, except loopback", () => {
  it.each(["http://api.example.com", "http://10.0.0.5:8080", "ftp://127.0.0.1"])(
    "refuses %s with a ConfigurationError naming baseUrl",
    (url) => {
      const error = (() => {
        try {
          createProviderClient<Paths>({ provider: "acme", baseUrl: url });
        } catch (e) {
          return e;
        }
      })() as ConfigurationError;
      expect(error).toBeInstanceOf(ConfigurationError);
      expect(error.option).toBe("baseUrl");
      expect(error.message).toMatch(/https/);
    },
  );

  it.each([
    "https://api.example.com",
    "http://127.0.0.1:3000",
    "http://127.8.9.10",
    "http://localhost:1",
    "http://[::1]:8080",
  ])("accepts %s", (url) => {
    expect(assertSecureUrl(url, "baseUrl").href).toContain(new URL(url).host);
  });

  it("rejects a relative or empty URL, naming the option", () => {
    expect(() => assertSecureUrl("/api", "tokenUrl")).toThrow(/tokenUrl is not a valid absolute URL/);
    expect(() => assertSecureUrl("", "tokenUrl")).toThrow(/tokenUrl must be a non-empty URL/);
  });
});

describe("credential validation", () => {
  it.each([
    [undefined, /apiKey is required/],
    ["", /apiKey must not be empty/],
    ["   ", /apiKey must not be empty/],
    [42, /apiKey must be a string, got number/],
  ])("requireString(%j) throws a ConfigurationError naming the option", (value, message) => {
    expect(() => requireString(value, "apiKey")).toThrow(message);
    try {
      requireString(value, "apiKey");
    } catch (e) {
      expect((e as ConfigurationError).option).toBe("apiKey");
    }
  });

  it("a non-plugin in auth or plugins is refused at construction", () => {
    expect(() =>
      createProviderClient<Paths>({ provider: "acme", baseUrl: "https://a.example", auth: {} as never }),
    ).toThrow(/auth must be an auth plugin/);
    expect(() =>
      createProviderClient<Paths>({
        provider: "acme",
        baseUrl: "https://a.example",
        plugins: [{ name: "x" } as never],
      }),
    ).toThrow(/plugins\[0\]/);
  });
});

describe("no secret ever leaves through errors, logs or events", () => {
  const SECRETS = ["client-secret-XYZ", "user-password-QRS", "access-token-LMN", "session-token-JKL"];

  it("searches every error path's message, String, JSON, inspect, logs and events for known secrets", async () => {
    const server = await startTestServer((req, res) => {
      if (req.path === "/token/bad")
        return json(res, 401, {
          error: "invalid_client",
          error_description: `unknown secret ${SECRETS[0]} for ${SECRETS[1]}`,
        });
      if (req.path === "/token/html")
        return void res.writeHead(200, { "content-type": "text/html" }).end(`<p>${SECRETS[0]}</p>`);
      if (req.path === "/token/ok") return json(res, 200, { access_token: SECRETS[2], expires_in: 60 });
      if (req.path === "/api/reject") return json(res, 401, { error: "invalid_token", token: SECRETS[2] });
      if (req.path === "/api/fail") return json(res, 500, { message: "boom", password: SECRETS[1] });
      json(res, 404, {});
    });
    servers.push(server);
    const { lines, logger } = recordingLogger();
    const events: SdkEvent[] = [];
    const common = {
      provider: "acme",
      baseUrl: server.url,
      logger,
      onEvent: (e: SdkEvent) => events.push(e),
      retry: { retries: 1, minDelayMs: 1, maxDelayMs: 2 },
    };
    const oauth = (path: string) =>
      oauth2Auth({
        tokenUrl: `${server.url}${path}`,
        clientId: "cid",
        clientSecret: SECRETS[0],
        grant: { type: "password", username: "alice", password: SECRETS[1]! },
      });

    const errors: unknown[] = [];
    const capture = (p: Promise<unknown>) =>
      p.then(
        (r) => r,
        (e: unknown) => errors.push(e),
      );
    await capture(createProviderClient<Paths>({ ...common, auth: oauth("/token/bad") }).fetch(`${server.url}/api/x`));
    await capture(createProviderClient<Paths>({ ...common, auth: oauth("/token/html") }).fetch(`${server.url}/api/x`));
    await capture(
      createProviderClient<Paths>({ ...common, auth: oauth("/token/ok") }).fetch(`${server.url}/api/reject`),
    );
    await capture(
      createProviderClient<Paths>({
        ...common,
        auth: staticHeadersAuth({ headers: { sessionToken: SECRETS[3]! } }),
      }).fetch(`${server.url}/api/reject`),
    );
    const client = createProviderClient<Paths>({ ...common, auth: oauth("/token/ok") });
    await capture(client.unwrap(client.GET("/api/fail" as never)));
    await capture(
      createProviderClient<Paths>({
        ...common,
        baseUrl: "http://127.0.0.1:1",
        auth: staticHeadersAuth({ headers: { sessionToken: SECRETS[3]! } }),
      }).fetch("http://127.0.0.1:1/x"),
    );
    await capture(
      Promise.reject(
        tryConstruct(() =>
          createProviderClient<Paths>({ ...common, baseUrl: `http://evil.example/?key=${SECRETS[0]}` }),
        ),
      ),
    );

    expect(errors).toHaveLength(7);
    const surfaces = errors.flatMap((e) => [
      String((e as Error).message),
      String(e),
      JSON.stringify(e),
      inspect(e, { depth: 10 }),
    ]);
    surfaces.push(...lines, ...events.map((e) => JSON.stringify(e)));
    for (const secret of SECRETS) {
      for (const surface of surfaces) expect(surface).not.toContain(secret);
    }
  });
});

function tryConstruct(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error("expected construction to throw");
}

describe("credentials a call carried, in an error answer that echoes them", () => {
  type EchoPaths = {
    "/api/x": { get: { responses: { 400: { content: { "application/json": { message: string } } } } } };
  };

  it(
    "a bearer token fetched for the call is scrubbed from " + "{ error } and the ApiError, even quoted in free text",
    async () => {
      const server = await startTestServer((req, res) => {
        if (req.path === "/token") return json(res, 200, { access_token: "fetched-token-8f3a1c", expires_in: 3600 });
        // A provider that quotes the request in prose, under a field whose name says nothing secret.
        return json(res, 400, {
          message: `bad request; you sent ${req.headers.authorization}`,
          echo: req.headers.authorization,
        });
      });
      servers.push(server);
      const auth = oauth2Auth({
        tokenUrl: `${server.url}/token`,
        clientId: "c",
        clientSecret: "client-secret-2b",
        grant: { type: "client_credentials" },
      });
      const client = createProviderClient<EchoPaths>({
        provider: "acme",
        baseUrl: server.url,
        auth,
        describeError: (b) => b as { message: string },
      });
      const { error } = await client.GET("/api/x");
      const thrown = await client.unwrap(client.GET("/api/x")).catch((e: unknown) => e);
      for (const view of [
        JSON.stringify(error),
        inspect(error, { depth: 5 }),
        String(thrown),
        JSON.stringify(thrown),
        inspect(thrown, { depth: 5 }),
      ]) {
        expect(view).not.toContain("fetched-token-8f3a1c");
      }
      expect(JSON.stringify(error)).toContain("you sent Bearer [redacted]");
    },
  );

  it(
    "static credential headers are scrubbed from an echoed " + "error answer without the client's secrets option",
    async () => {
      const server = await startTestServer((req, res) =>
        json(res, 400, { message: `session ${req.headers["x-session"]} cannot do this` }),
      );
      servers.push(server);
      const client = createProviderClient<EchoPaths>({
        provider: "acme",
        baseUrl: server.url,
        auth: staticHeadersAuth({ headers: { "x-session": "session-value-77d" } }),
      });
      const { error } = await client.GET("/api/x");
      expect(JSON.stringify(error)).not.toContain("session-value-77d");
      expect(JSON.stringify(error)).toContain("session [redacted] cannot do this");
    },
  );
});

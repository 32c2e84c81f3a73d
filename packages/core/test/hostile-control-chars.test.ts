// Hostile input, concern 5: CR, LF or NUL in a credential or in a server-issued token. `fetch` refuses such a header
// with a TypeError that quotes the whole value; the SDK must refuse it first, typed, without quoting it.
import { inspect } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import {
  AuthenticationError,
  ConfigurationError,
  bearerTokenAuth,
  createProviderClient,
  createTokenCache,
  requireString,
  staticHeadersAuth,
} from "../src/index.js";
import { json, startTestServer, type TestServer } from "./helpers.js";

type Paths = Record<string, never>;
const servers: TestServer[] = [];
afterEach(async () => Promise.all(servers.splice(0).map((s) => s.close())));

const SECRET = "secret-value-4242";
const BREAKS = ["\r\n", "\n", "\r", "\0"];

const shown = (error: unknown) => `${String(error)} ${JSON.stringify(error)} ${inspect(error, { depth: 5 })}`;

describe("line breaks and NUL in credentials", () => {
  it("staticHeadersAuth refuses them at construction, naming the header and not the value", () => {
    for (const brk of BREAKS) {
      const error = (() => {
        try {
          staticHeadersAuth({ headers: { "App-secret": `${SECRET}${brk}X-Injected: 1` } });
        } catch (e) {
          return e;
        }
      })();
      expect(error).toBeInstanceOf(ConfigurationError);
      expect((error as ConfigurationError).option).toBe("headers.App-secret");
      expect(shown(error)).not.toContain(SECRET);
    }
  });

  it("requireString (what providers check credentials with) refuses them", () => {
    for (const brk of BREAKS) {
      expect(() => requireString(`${SECRET}${brk}`, "apiKey", "acme")).toThrow(ConfigurationError);
      try {
        requireString(`${SECRET}${brk}`, "apiKey", "acme");
      } catch (e) {
        expect(shown(e)).not.toContain(SECRET);
      }
    }
  });

  it("a token with a line break from the token endpoint is an AuthenticationError that does not quote it", async () => {
    const TOKEN = "issued-token-987";
    const server = await startTestServer((_req, res) => json(res, 200, {}));
    servers.push(server);
    for (const brk of BREAKS) {
      const client = createProviderClient<Paths>({
        provider: "acme",
        baseUrl: server.url,
        retry: false,
        tokenCache: createTokenCache(),
        auth: bearerTokenAuth({
          kind: "client_token",
          identity: ["c"],
          fetchToken: async () => ({ accessToken: `${TOKEN}${brk}x`, expiresInMs: 60_000 }),
        }),
      });
      const error = await client.fetch(`${server.url}/x`).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AuthenticationError);
      expect((error as AuthenticationError).code).toBe("INVALID_TOKEN_RESPONSE");
      expect(shown(error)).not.toContain(TOKEN);
    }
    expect(server.requests).toHaveLength(0);
  });

  it("a header value a plugin builds with a line break: a ConfigurationError, not fetch's TypeError", async () => {
    const server = await startTestServer((_req, res) => json(res, 200, {}));
    servers.push(server);
    const client = createProviderClient<Paths>({
      provider: "acme",
      baseUrl: server.url,
      retry: false,
      tokenCache: createTokenCache(),
      auth: bearerTokenAuth({
        kind: "client_token",
        identity: ["c"],
        fetchToken: async () => ({ accessToken: "fine-token", expiresInMs: 60_000 }),
        tokenHeaders: (token) => ({ authorization: `Bearer ${token}`, "x-sig": `${SECRET}\nX-Injected: 1` }),
      }),
    });
    const error = await client.fetch(`${server.url}/x`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(shown(error)).not.toContain(SECRET);
  });
});

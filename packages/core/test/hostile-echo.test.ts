// Hostile servers, concern 3: echoed credentials. A provider that quotes the request in its error body must not get
// a credential into `ApiError` (message, String, JSON, inspect, body), whatever escaping it uses.
import { inspect } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import {
  ApiError,
  AuthenticationError,
  bearerTokenAuth,
  createProviderClient,
  createTokenCache,
  readTokenResponse,
  scrubSecrets,
  staticHeadersAuth,
} from "../src/index.js";
import { json, startTestServer, type RecordedRequest, type TestServer } from "./helpers.js";

type Paths = {
  "/things": {
    get: {
      responses: {
        200: { content: { "application/json": unknown } };
        400: { content: { "application/json": unknown } };
      };
    };
  };
};
const servers: TestServer[] = [];
afterEach(async () => Promise.all(servers.splice(0).map((s) => s.close())));

const SESSION = "sess/ion+Tok3n==value";
const TOKEN = "server/issued+token/abc==";

/** Whether `text` shows `secret`: as is, in the escaped form the server echoed it in, or that form JSON-encoded. */
const shows = (text: string, secret: string) =>
  [secret, escaped(secret), JSON.stringify(escaped(secret)).slice(1, -1)].some((form) => text.includes(form));

/** Every way an error is shown to a developer or a log. */
const renderings = (error: unknown) => {
  const e = error as Error & { body?: unknown };
  return [e.message, String(e), JSON.stringify(e), inspect(e, { depth: 10 }), JSON.stringify(e.body)];
};

/** Escapes the way a hostile JSON encoder may: `/` as `\/`, and every letter "o" as `\u006f`. */
const escaped = (text: string) => JSON.stringify(text).slice(1, -1).replaceAll("/", "\\/").replaceAll("o", "\\u006f");

/**
 * Echoes every request header in a 400 body, as some providers' debug pages do: JSON-escaped inside a text body
 * that is not JSON itself, so no parser decodes the escapes before the scrub.
 */
const echo = (req: RecordedRequest, res: import("node:http").ServerResponse) => {
  res.writeHead(400, { "content-type": "text/plain" });
  res.end(`bad request; headers were ${escaped(JSON.stringify(req.headers))}`);
};

describe("echoed credentials are scrubbed from every rendering", () => {
  it("static credential headers, echoed with \\/ and \\u escapes", async () => {
    const server = await startTestServer(echo);
    servers.push(server);
    const client = createProviderClient<Paths>({
      provider: "acme",
      baseUrl: server.url,
      retry: false,
      describeError: (body) => ({ message: String(body) }),
      auth: staticHeadersAuth({ headers: { userId: "u-1", sessionToken: SESSION } }),
    });
    const error = await client.unwrap(client.GET("/things")).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    for (const text of renderings(error)) expect(shows(text, SESSION)).toBe(false);
    expect(JSON.stringify((error as ApiError).body)).toContain("keep-alive"); // the rest is kept
  });

  it("a bearer token fetched for the call, echoed by a route the auth plugin does not see redacted", async () => {
    const server = await startTestServer((req, res) => {
      if (req.path === "/token") return json(res, 200, { access_token: TOKEN, expires_in: 3600 });
      echo(req, res);
    });
    servers.push(server);
    const client = createProviderClient<Paths>({
      provider: "acme",
      baseUrl: server.url,
      retry: false,
      tokenCache: createTokenCache(),
      describeError: (body) => ({ message: String(body) }),
      auth: bearerTokenAuth({
        kind: "client_token",
        identity: ["c"],
        tokenHeaders: (token) => ({ "x-access-token": token }),
        async fetchToken(runtime) {
          const response = await runtime.plainFetch(`${server.url}/token`, { method: "POST" });
          const body = (await response.json()) as { access_token: string };
          return { accessToken: body.access_token, expiresInMs: 3_600_000 };
        },
      }),
    });
    const error = await client.unwrap(client.GET("/things")).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    for (const text of renderings(error)) expect(shows(text, TOKEN)).toBe(false);
    // client.fetch returns the error answer itself: its body is scrubbed too.
    const raw = await (await client.fetch(`${server.url}/things`)).text();
    expect(shows(raw, TOKEN)).toBe(false);
  });

  it("a token endpoint that echoes the platform token the token request carried", async () => {
    const PLATFORM = "platform/token+value==";
    const server = await startTestServer((req, res) => echo(req, res));
    servers.push(server);
    const client = createProviderClient<Paths>({ provider: "acme", baseUrl: server.url, retry: false });
    const response = await client.runtime.plainFetch(`${server.url}/client-token`, {
      method: "POST",
      headers: { authorization: `Bearer ${PLATFORM}` },
    });
    const error = await readTokenResponse(response, { provider: "acme", what: "client token" }).catch((e) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    for (const text of renderings(error)) expect(shows(text, PLATFORM)).toBe(false);
  });

  it("scrubSecrets: escaped forms are scrubbed; a very short secret does not mangle words", () => {
    expect(scrubSecrets('{"s":"a\\/b\\u0063defgh"}', ["a/bcdefgh"])).toBe('{"s":"[redacted]"}');
    expect(scrubSecrets("token=a%2Fbcdefgh", ["a/bcdefgh"])).toBe("token=[redacted]");
    expect(scrubSecrets("refused: s", ["s"])).toBe("refused: [redacted]");
    expect(scrubSecrets("access denied", ["e"])).toBe("access denied");
  });
});

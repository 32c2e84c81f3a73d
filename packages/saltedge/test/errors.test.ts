import { ApiError, AuthenticationError } from "@x/core";
import { json, startEmulator, startTestServer, type TestServer } from "@x/testing";
import { inspect } from "node:util";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { createSaltEdgeClient, isSaltEdgeError } from "../src/index.js";
import { rsaKeys, sandboxClient, type SaltEdgeEmulator } from "./helpers.js";

let sandbox: SaltEdgeEmulator;
let server: TestServer | undefined;
beforeAll(async () => {
  sandbox = await startEmulator("saltedge");
});
afterAll(() => sandbox.close());
afterEach(async () => {
  vi.restoreAllMocks();
  await server?.close();
  server = undefined;
});

describe("v6 errors", () => {
  it("a signature by another key is refused: SignatureNotMatch, an AuthenticationError naming privateKey", async () => {
    const client = sandboxClient(sandbox, { privateKey: rsaKeys().pkcs8 });
    const error = await client.unwrap(client.GET("/countries")).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error).toMatchObject({ code: "SignatureNotMatch", provider: "saltedge" });
    expect(String((error as Error).message)).toContain("privateKey");
    expect(isSaltEdgeError(error, "SignatureNotMatch")).toBe(true);
  });

  it("a refused signature's class is the code, with clock advice (RequestExpired, ExpiresAtInvalid)", async () => {
    const refusals: Record<string, number> = { RequestExpired: 401, ExpiresAtInvalid: 400 };
    server = await startTestServer((req, res) => {
      const errorClass = req.path.endsWith("RequestExpired") ? "RequestExpired" : "ExpiresAtInvalid";
      json(res, refusals[errorClass] ?? 500, { error: { class: errorClass, message: "refused" } });
    });
    const client = createSaltEdgeClient({ appId: "a", secret: "s", privateKey: rsaKeys().pkcs8, baseUrl: server.url });
    const expired = await client
      .unwrap(client.GET("/providers/{provider_code}", { params: { path: { provider_code: "RequestExpired" } } }))
      .catch((e: unknown) => e);
    expect(expired).toBeInstanceOf(AuthenticationError);
    expect(expired).toMatchObject({ code: "RequestExpired" });
    expect(String((expired as Error).message)).toContain("clock");
    const ahead = await client
      .unwrap(client.GET("/providers/{provider_code}", { params: { path: { provider_code: "Ahead" } } }))
      .catch((e: unknown) => e);
    expect(ahead).toMatchObject({ code: "ExpiresAtInvalid", status: 400 });
  });

  it("a wrong App-id or Secret is ClientNotFound; the secret is never in the error", async () => {
    const client = sandboxClient(sandbox, { secret: "not-the-secret/ü" });
    const error = await client.unwrap(client.GET("/countries")).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: "AuthenticationError", code: "ClientNotFound" });
    expect(String((error as Error).message)).toContain("appId and secret");
    for (const rendering of [String(error), JSON.stringify(error), inspect(error)]) {
      expect(rendering).not.toContain("not-the-secret");
    }
  });

  it("maps the v6 error body to an ApiError with the error class as code", async () => {
    const client = sandboxClient(sandbox);
    const error = await client
      .unwrap(client.GET("/connections/{connection_id}", { params: { path: { connection_id: "404" } } }))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 404, code: "ConnectionNotFound", provider: "saltedge" });
    expect(isSaltEdgeError(error, "ConnectionNotFound")).toBe(true);
  });

  it("scrubs the secret echoed with JSON escapes (\\/ and \\uXXXX) from every rendering of the error", async () => {
    const secret = "s3cr/et-ü+key";
    // The provider echoes the request: JSON.stringify escapes nothing here, so the escapes are written by hand.
    const escaped = secret.replace("/", "\\/").replace("ü", "\\u00fc").replace("+", "\\u002b");
    let status = 400;
    let type = "application/json";
    server = await startTestServer((_req, res) => {
      res.writeHead(status, { "content-type": type });
      const echo =
        `{"error":{"class":"WrongRequestFormat","message":"bad request with Secret ${escaped}"},` +
        `"request":{"headers":{"Secret":"${escaped}"},"echo":"${escaped}"}}`;
      // As text, the echo is not JSON a parser would decode: the escaped secret stays in the raw body.
      res.end(type === "text/plain" ? `upstream answered: ${echo}` : echo);
    });
    const client = createSaltEdgeClient({ appId: "a", secret, privateKey: rsaKeys().pkcs8, baseUrl: server.url });
    const result = await client.GET("/countries");
    const error = await client.unwrap(Promise.resolve(result)).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "WrongRequestFormat", status: 400 });
    const renderings = [
      String(error),
      JSON.stringify(error),
      inspect(error, { depth: 10 }),
      JSON.stringify((error as ApiError).body),
      JSON.stringify(result.error),
    ];
    // The same echo as text (a proxy's page, a body that is not JSON): scrubbed in its raw, escaped form.
    type = "text/plain";
    const text = await client.GET("/countries");
    const raw = await client.unwrap(Promise.resolve(text)).catch((e: unknown) => e);
    expect(raw).toMatchObject({ status: 400 });
    renderings.push(String(raw), JSON.stringify(raw), inspect(raw, { depth: 10 }), JSON.stringify(text.error));
    // A refusal (401) takes the auth plugin's path to an AuthenticationError: scrubbed the same way.
    status = 401;
    const refused = await client.unwrap(client.GET("/countries")).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(AuthenticationError);
    renderings.push(String(refused), JSON.stringify(refused), inspect(refused, { depth: 10 }));
    for (const rendering of renderings) {
      expect(rendering).not.toContain(secret);
      expect(rendering).not.toContain(escaped);
      expect(rendering).not.toContain("s3cr");
    }
  });

  it("a dot segment as a path id does not retarget the call", async () => {
    server = await startTestServer((_req, res) =>
      json(res, 404, { error: { class: "CustomerNotFound", message: "" } }),
    );
    const client = createSaltEdgeClient({
      appId: "a",
      secret: "s",
      privateKey: rsaKeys().pkcs8,
      baseUrl: `${server.url}/api/v6`,
    });
    for (const id of ["..", "."]) {
      await client.DELETE("/customers/{customer_id}", { params: { path: { customer_id: id } } }).catch(() => {});
    }
    // Either refused before sending, or sent to the customer path with the dots encoded: never to /api/v6/.
    for (const request of server.requests) expect(request.path).toMatch(/^\/api\/v6\/customers\/[^/]+$/);
    expect(server.requests.every((r) => !/\/\.\.?$/.test(r.path))).toBe(true);
  });
});

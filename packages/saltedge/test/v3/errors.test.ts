import { inspect } from "node:util";
import { ApiError, AuthenticationError, ConfigurationError, type SdkEvent } from "@x/core";
import { json, recordingLogger, startEmulator, startTestServer, type TestServer } from "@x/testing";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createSaltEdgeClient, isSaltEdgeError, isSaltEdgeErrorBody } from "../../src/v3/index.js";
import { rsaKeys, sandboxClient, type SaltEdgeEmulator } from "./helpers.js";

let sandbox: SaltEdgeEmulator;
beforeAll(async () => {
  sandbox = await startEmulator("saltedge-v3");
});
afterAll(() => sandbox.close());
let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe("errors", () => {
  it("refuses a missing options object with a ConfigurationError naming what to pass, not a bare TypeError", () => {
    for (const options of [undefined, null, "clientId"]) {
      let caught: unknown;
      try {
        createSaltEdgeClient(options as never);
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(ConfigurationError);
      expect(caught).toMatchObject({ option: "options", provider: "saltedge" });
      expect(String((caught as Error).message)).toContain("clientId and appSecret");
    }
  });

  it("exposes Salt Edge's error_class as the typed code of ApiError", async () => {
    const app = sandboxClient(sandbox);
    const error = await app
      .unwrap(app.GET("/providers/{provider_code}", { params: { path: { provider_code: "nowhere_bank" } } }))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(isSaltEdgeError(error, "ProviderNotFound")).toBe(true);
    expect(error).toMatchObject({ status: 404, code: "ProviderNotFound", provider: "saltedge" });

    await app.unwrap(app.POST("/customers", { body: { data: { identifier: "dup" } } }));
    const duplicate = await app
      .unwrap(app.POST("/customers", { body: { data: { identifier: "dup" } } }))
      .catch((e: unknown) => e);
    expect(isSaltEdgeError(duplicate, "DuplicatedCustomer")).toBe(true);
    expect(isSaltEdgeError(duplicate, "CustomerNotFound")).toBe(false);
  });

  it("retries RateLimitExceeded (429 with Retry-After) and reports it with its class when it persists", async () => {
    const handle = sandbox.handle;
    const app = sandboxClient(sandbox, { retry: { retries: 1, maxDelayMs: 5 } });
    handle.control.rateLimitNext(1, 0);
    const { data } = await app.unwrap(app.GET("/countries"));
    expect(data.map((c) => c.code)).toContain("XF");
    handle.control.rateLimitNext(5, 0);
    await expect(app.unwrap(app.GET("/countries"))).rejects.toMatchObject({ status: 429, code: "RateLimitExceeded" });
    handle.control.rateLimitNext(0);
  });

  it("never lets a secret reach an error, { error }, inspect output, events or logs, even when echoed", async () => {
    const secrets = {
      appSecret: "APP-SECRET-123456",
      customerSecret: "CUSTOMER-SECRET-7890",
      loginSecret: "LOGIN-SECRET-abcdef",
    };
    const { pkcs8 } = rsaKeys();
    // A provider that quotes the request line, every header and the body, inside strings that no field name marks.
    server = await startTestServer((req, res) => {
      const echo = `${req.method} ${req.url} with headers ${JSON.stringify(req.headers)} and body ${req.body}`;
      const [status, errorClass] = req.path === "/accounts" ? [401, "LoginNotFound"] : [404, "ProviderNotFound"];
      json(res, status, { error_class: errorClass, error_message: echo, request: { quoted: echo } });
    });
    const recording = recordingLogger<SdkEvent>();
    const app = createSaltEdgeClient({
      clientId: "c",
      appSecret: secrets.appSecret,
      privateKey: pkcs8,
      baseUrl: server.url,
      logger: recording.logger,
      onEvent: recording.onEvent,
    });
    const customer = app.forCustomer(secrets.customerSecret);
    const login = customer.forLogin(secrets.loginSecret);
    const provider = { params: { path: { provider_code: "x" } } };
    const newCustomer = { body: { data: { identifier: "echo" } } };
    const token = { body: { data: { fetch_type: "recent" as const } } };
    const thrown = [
      await login.GET("/accounts").catch((e: unknown) => e),
      await login.unwrap(login.GET("/providers/{provider_code}", provider)).catch((e: unknown) => e),
      await customer.unwrap(customer.POST("/tokens/create", token)).catch((e: unknown) => e),
      await app.unwrap(app.POST("/customers", newCustomer)).catch((e: unknown) => e),
    ];
    // Typed calls without unwrap: core reads `{ error }` bounded and scrubbed with the client's secrets.
    const plain: unknown[] = [
      (await login.GET("/providers/{provider_code}", provider)).error,
      (await customer.POST("/tokens/create", token)).error,
      (await app.POST("/customers", newCustomer)).error,
    ];
    // Outside the spec too: an error Response of client.fetch comes back scrubbed of the headers' values.
    plain.push(await (await login.fetch(`${server.url}/providers/x`)).text());
    expect(thrown[0]).toBeInstanceOf(AuthenticationError);
    expect(thrown[0]).toMatchObject({ code: "LoginNotFound", status: 401 });
    expect(thrown.slice(1).every((e) => e instanceof ApiError && e.code === "ProviderNotFound")).toBe(true);
    expect(plain.slice(0, 3).every((error) => isSaltEdgeErrorBody(error))).toBe(true);
    // The secrets really were echoed.
    expect(JSON.stringify(server.requests[0]?.headers)).toContain(secrets.loginSecret);
    const keyBody = pkcs8
      .replace(/-----[^-]+-----/g, "")
      .replace(/\s+/g, "")
      .slice(0, 40);
    const views = (e: unknown) => [String(e), JSON.stringify(e), inspect(e, { depth: 10 }), (e as Error).message];
    const seen = [...thrown.flatMap(views), ...plain.flatMap(views), recording.text()].join("\n");
    for (const secret of [...Object.values(secrets), keyBody]) expect(seen).not.toContain(secret);
    expect(seen).toContain("[redacted]");
  });
});

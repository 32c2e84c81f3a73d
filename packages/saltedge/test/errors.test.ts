import { inspect } from "node:util";
import { ApiError, AuthenticationError } from "@x/core";
import type { Sandbox } from "@x/sandbox";
import { json, startTestServer, type TestServer } from "@x/testing";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createSaltEdgeClient, isSaltEdgeError } from "../src/index.js";
import { rsaKeys, saltEdgeSandbox, sandboxClient } from "./helpers.js";

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await saltEdgeSandbox();
});
afterAll(() => sandbox.close());
let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe("errors", () => {
  it("exposes Salt Edge's error_class as the typed code of ApiError", async () => {
    const app = sandboxClient(sandbox);
    const error = await app.unwrap(app.GET("/providers/{provider_code}", { params: { path: { provider_code: "nowhere_bank" } } })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(isSaltEdgeError(error, "ProviderNotFound")).toBe(true);
    expect(error).toMatchObject({ status: 404, code: "ProviderNotFound", provider: "saltedge" });

    await app.unwrap(app.POST("/customers", { body: { data: { identifier: "dup" } } }));
    const duplicate = await app.unwrap(app.POST("/customers", { body: { data: { identifier: "dup" } } })).catch((e: unknown) => e);
    expect(isSaltEdgeError(duplicate, "DuplicatedCustomer")).toBe(true);
    expect(isSaltEdgeError(duplicate, "CustomerNotFound")).toBe(false);
  });

  it("retries RateLimitExceeded (429 with Retry-After) and reports it with its class when it persists", async () => {
    const handle = sandbox.provider("saltedge");
    const app = sandboxClient(sandbox, { retry: { retries: 1, maxDelayMs: 5 } });
    handle.control.rateLimitNext(1, 0);
    const { data } = await app.unwrap(app.GET("/countries"));
    expect(data.map((c) => c.code)).toContain("XF");
    handle.control.rateLimitNext(5, 0);
    await expect(app.unwrap(app.GET("/countries"))).rejects.toMatchObject({ status: 429, code: "RateLimitExceeded" });
    handle.control.rateLimitNext(0);
  });

  it("never lets a secret reach an error's message, JSON, inspect output, events or logs, even when the provider echoes it", async () => {
    const secrets = { appSecret: "APP-SECRET-123456", customerSecret: "CUSTOMER-SECRET-7890", loginSecret: "LOGIN-SECRET-abcdef" };
    const { pkcs8 } = rsaKeys();
    // A provider that quotes every header it got, in a field name core's redaction does not know.
    server = await startTestServer((req, res) => {
      const echo = `headers were ${JSON.stringify(req.headers)}`;
      const status = req.path === "/accounts" ? 401 : 404;
      json(res, status, { error_class: status === 401 ? "LoginNotFound" : "ProviderNotFound", error_message: echo, request: { quoted: echo } });
    });
    const events: unknown[] = [];
    const logs: unknown[] = [];
    const logger = { debug: (...a: unknown[]) => logs.push(a), info: (...a: unknown[]) => logs.push(a), warn: (...a: unknown[]) => logs.push(a), error: (...a: unknown[]) => logs.push(a) };
    const app = createSaltEdgeClient({ clientId: "c", ...{ appSecret: secrets.appSecret }, privateKey: pkcs8, baseUrl: server.url, onEvent: (e) => events.push(e), logger });
    const login = app.forCustomer(secrets.customerSecret).forLogin(secrets.loginSecret);
    const errors = [
      await login.GET("/accounts").catch((e: unknown) => e),
      await login.unwrap(login.GET("/providers/{provider_code}", { params: { path: { provider_code: "x" } } })).catch((e: unknown) => e),
    ];
    expect(errors[0]).toBeInstanceOf(AuthenticationError);
    expect(errors[1]).toBeInstanceOf(ApiError);
    expect(JSON.stringify(server.requests[0]?.headers)).toContain(secrets.loginSecret); // the secrets really were echoed
    const keyBody = pkcs8.replace(/-----[^-]+-----/g, "").replace(/\s+/g, "").slice(0, 40);
    const seen = [...errors.flatMap((e) => [String(e), JSON.stringify(e), inspect(e, { depth: 10 }), (e as Error).message]), JSON.stringify(events), JSON.stringify(logs)].join("\n");
    for (const secret of [...Object.values(secrets), keyBody]) expect(seen).not.toContain(secret);
    expect(seen).toContain("[redacted]");
  });
});

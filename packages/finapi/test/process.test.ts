import { ApiError, AuthenticationError, type SdkEvent } from "@x/core";
import { json, recordingLogger, startTestServer } from "@x/testing";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createFinapiClient, isFinapiError } from "../src/index.js";
import { startFinapi, type FinapiSandbox } from "./helpers.js";

let env: FinapiSandbox;
beforeAll(async () => {
  env = await startFinapi();
});
beforeEach(() => env.handle.reset());
afterAll(() => env.close());

describe("startProcess", () => {
  it(
    "creates a process, exchanges its token once with " +
      "invalidate=true and returns a client acting as the process user",
    async () => {
      const { processToken, clientReference, client } = await env.client().startProcess({ clientReference: "loan-42" });
      expect(clientReference).toBe("loan-42");
      expect(processToken).toMatch(/[0-9a-f-]{36}/);
      const me = await client.unwrap(client.GET("/api/v2/users"));
      expect(me.id).toMatch(/^process-/);
      expect(env.handle.stats().tokensIssued).toEqual({ process_token: 1, process_user_token: 1 });
    },
  );

  it("a client-wide idempotent: true never retries the POST that creates a process", async () => {
    const finapi = env.client({ idempotent: true });
    env.handle.setFaults({ failNext: { status: 503, count: 1 } });
    const error = await finapi.startProcess({ clientReference: "no-duplicate" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(503);
    expect(env.handle.stats().tokensIssued.process_token ?? 0).toBe(0);
    // One try, no second process created behind the 503: the next call creates exactly one.
    await finapi.startProcess({ clientReference: "no-duplicate" });
    expect(env.handle.stats().tokensIssued.process_token).toBe(1);
  });

  it("a process token exchanged a second time gives a clear PROCESS_TOKEN_USED error", async () => {
    const finapi = env.client();
    const { processToken } = await finapi.startProcess({ clientReference: "once" });
    const error = await finapi.openProcess(processToken).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(isFinapiError(error, "PROCESS_TOKEN_USED")).toBe(true);
    expect((error as Error).message).toMatch(/already exchanged.*Start a new process/);
    expect(String(error) + JSON.stringify(error)).not.toContain(processToken);
    expect(env.handle.stats().tokensIssued.process_user_token).toBe(1);
  });

  it("a refused process user token is PROCESS_TOKEN_EXPIRED, and no new process or exchange is made", async () => {
    const { client } = await env.client().startProcess({ clientReference: "short" });
    env.handle.control.expireAccessTokens();
    const error = await client.unwrap(client.GET("/api/v2/users")).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect((error as AuthenticationError).code).toBe("PROCESS_TOKEN_EXPIRED");
    expect((error as AuthenticationError).requestId).toBeTruthy();
    expect(env.handle.stats().tokensIssued).toEqual({ process_token: 1, process_user_token: 1 });
  });

  it("the process token never appears in events or logs", async () => {
    const rec = recordingLogger<SdkEvent>();
    const finapi = env.client({ logger: rec.logger, onEvent: rec.onEvent });
    const { processToken, client } = await finapi.startProcess({ clientReference: "quiet" });
    await client.unwrap(client.GET("/api/v2/users"));
    await finapi.openProcess(processToken).catch(() => {});
    expect(rec.events.length).toBeGreaterThan(0);
    expect(rec.text()).not.toContain(processToken);
  });

  it("refused client credentials are an AuthenticationError without the secret", async () => {
    const error = await env
      .client({ clientSecret: "pc-wrong-secret-77" })
      .startProcess({ clientReference: "x" })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect((error as AuthenticationError).status).toBe(401);
    expect(String(error) + JSON.stringify(error)).not.toContain("pc-wrong-secret-77");
  });

  it("the exchange goes through the configured fetch as a URL and init, once, even on a 503", async () => {
    const server = await startTestServer((req, res) =>
      req.method === "POST"
        ? json(res, 201, { processes: [{ processToken: "pt-1", clientReference: "r" }] })
        : json(res, 503, {}, { "retry-after": "0" }),
    );
    const inputs: unknown[] = [];
    try {
      const finapi = createFinapiClient({
        clientId: "c",
        clientSecret: "s",
        accessUrl: server.url,
        processControllerUrl: server.url,
        fetch: (input, init) => (inputs.push(input), globalThis.fetch(input, init)),
      });
      const error = await finapi.startProcess({ clientReference: "r" }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ApiError);
      expect((error as ApiError).status).toBe(503);
      expect(server.requests.map((r) => `${r.method} ${r.url}`)).toEqual([
        "POST /api/v1/processes",
        "GET /api/v1/processes/pt-1?invalidate=true",
      ]);
      expect(inputs.every((input) => typeof input === "string")).toBe(true);
    } finally {
      await server.close();
    }
  });

  it("revoke() on the process client revokes its user token at finAPI", async () => {
    const { client } = await env.client().startProcess({ clientReference: "revoked" });
    const { authorization } = await client.auth!.authorize(client.runtime);
    await client.revoke();
    expect(env.handle.control.isTokenValid(authorization!.replace("Bearer ", ""))).toBe(false);
  });
});

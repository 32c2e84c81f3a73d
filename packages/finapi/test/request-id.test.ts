import { ApiError } from "@x/core";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { FAST_RETRY, json, startTestServer } from "@x/testing";
import { createFinapiClient } from "../src/index.js";
import { startFinapi, type FinapiSandbox } from "./helpers.js";

let env: FinapiSandbox;
beforeAll(async () => {
  env = await startFinapi();
});
beforeEach(() => env.handle.reset());
afterAll(() => env.close());

const demoUser = () => env.client().forUser({ userId: env.credentials.userId, password: env.credentials.userPassword });

describe("X-Request-Id", () => {
  it("every request carries a generated X-Request-Id, and one call keeps it across retries", async () => {
    let attempts = 0;
    const server = await startTestServer((req, res) => {
      if (req.path === "/api/v2/oauth/token")
        return json(res, 200, { access_token: "t", token_type: "bearer", expires_in: 3600, scope: "all" });
      return ++attempts < 3 ? json(res, 503, {}) : json(res, 200, { connections: [] });
    });
    try {
      const urls = { accessUrl: server.url, processControllerUrl: server.url };
      const client = createFinapiClient({ clientId: "c", clientSecret: "s", ...urls, retry: FAST_RETRY });
      await client.unwrap(client.GET("/api/v2/clientConfiguration"));
      const ids = server.requests
        .filter((r) => r.path === "/api/v2/clientConfiguration")
        .map((r) => r.headers["x-request-id"]);
      expect(ids).toHaveLength(3);
      expect(ids[0]).toMatch(/^[0-9a-f-]{36}$/);
      expect(new Set(ids).size).toBe(1);
    } finally {
      await server.close();
    }
  });

  it("the replay after a refused token carries the id of the first send", async () => {
    let tokens = 0;
    const server = await startTestServer((req, res) => {
      if (req.path === "/api/v2/oauth/token")
        return json(res, 200, { access_token: `t${++tokens}`, token_type: "bearer", expires_in: 3600, scope: "all" });
      return req.headers.authorization === "Bearer t1"
        ? json(res, 401, { errors: [{ code: "INVALID_TOKEN" }] })
        : json(res, 200, { connections: [] });
    });
    try {
      const client = createFinapiClient({
        clientId: "c",
        clientSecret: "s",
        accessUrl: server.url,
        processControllerUrl: server.url,
      });
      await client.unwrap(client.GET("/api/v2/clientConfiguration"));
      const sends = server.requests.filter((r) => r.path === "/api/v2/clientConfiguration");
      expect(sends.map((r) => r.headers.authorization)).toEqual(["Bearer t1", "Bearer t2"]);
      expect(sends[0]!.headers["x-request-id"]).toMatch(/^[0-9a-f-]{36}$/);
      expect(sends[1]!.headers["x-request-id"]).toBe(sends[0]!.headers["x-request-id"]);
    } finally {
      await server.close();
    }
  });

  it("an X-Request-Id given by the caller is sent unchanged", async () => {
    const user = demoUser();
    const { response } = await user.GET("/api/v2/users", { params: { header: { "X-Request-Id": "my-trace-1" } } });
    expect(response.headers.get("x-request-id")).toBe("my-trace-1");
  });

  it("an ApiError exposes the request id finAPI echoed, in the error and in its body", async () => {
    const user = demoUser();
    env.handle.control.setUserBusy(env.credentials.userId, true);
    const error = await user.deleteUser().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    const apiError = error as ApiError;
    expect(apiError.code).toBe("LOCKED");
    expect(apiError.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect((apiError.body as { requestId: string }).requestId).toBe(apiError.requestId);
  });
});

describe("statuses that must not be retried", () => {
  for (const status of [423, 510]) {
    it(`a ${status} on a GET is answered after one attempt, not retried`, async () => {
      const user = demoUser();
      await user.unwrap(user.GET("/api/v2/users")); // token first, so the fault hits the call
      const before = env.handle.stats().requests;
      env.handle.setFaults({ failNext: { status, count: 3 } });
      const error = await user
        .unwrap(user.GET("/api/v2/transactions", { params: { query: { view: "bankView" } } }))
        .catch((e: unknown) => e);
      env.handle.setFaults({});
      expect((error as ApiError).status).toBe(status);
      expect(env.handle.stats().requests - before).toBe(1);
    });
  }

  it("a 503 on the same GET is retried (so the test above would see a retry)", async () => {
    const user = demoUser();
    await user.unwrap(user.GET("/api/v2/users"));
    const before = env.handle.stats().requests;
    env.handle.setFaults({ failNext: { status: 503, count: 1 } });
    const page = await user.unwrap(user.GET("/api/v2/transactions", { params: { query: { view: "bankView" } } }));
    expect(page.transactions.length).toBeGreaterThan(0);
    expect(env.handle.stats().requests - before).toBe(2);
  });
});

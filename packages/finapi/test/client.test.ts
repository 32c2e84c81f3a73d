import { ConfigurationError, type SdkEvent } from "@x/core";
import { startTestServer, json } from "@x/testing";
import { describe, expect, it } from "vitest";
import { createFinapiClient, servers } from "../src/index.js";

const valid = { clientId: "id", clientSecret: "secret" };

describe("createFinapiClient options", () => {
  for (const option of ["clientId", "clientSecret"] as const) {
    it(`a missing or empty ${option} is a ConfigurationError naming it`, () => {
      for (const value of [undefined, ""]) {
        const error = (() => {
          try {
            createFinapiClient({ ...valid, [option]: value as unknown as string });
          } catch (e) {
            return e;
          }
        })();
        expect(error).toBeInstanceOf(ConfigurationError);
        expect((error as ConfigurationError).option).toBe(option);
      }
    });
  }

  it("an unknown environment is refused, naming the option", () => {
    expect(() => createFinapiClient({ ...valid, environment: "staging" as "sandbox" })).toThrow(
      expect.objectContaining({ option: "environment" }),
    );
  });

  it("a plain-http Process Controller URL outside loopback is refused", () => {
    expect(() => createFinapiClient({ ...valid, processControllerUrl: "http://example.com" })).toThrow(
      expect.objectContaining({ option: "processControllerUrl" }),
    );
  });

  it("environment picks the Access URL from the spec (sandbox) and defaults to production", () => {
    expect(createFinapiClient({ ...valid, environment: "sandbox" }).baseUrl).toBe(servers["access-sandbox"]);
    expect(createFinapiClient(valid).baseUrl).toBe(servers["access-production"]);
  });

  it("forUser refuses an empty password before any request, naming it", () => {
    expect(() => createFinapiClient(valid).forUser({ userId: "u", password: "" })).toThrow(
      expect.objectContaining({ option: "password" }),
    );
  });

  it("events name the spec operation, never a URL", async () => {
    const server = await startTestServer((req, res) =>
      req.path === "/api/v2/oauth/token"
        ? json(res, 200, { access_token: "t", token_type: "bearer", expires_in: 3600, scope: "all" })
        : json(res, 200, { id: 1, name: "Demo bank" }),
    );
    const events: SdkEvent[] = [];
    try {
      const client = createFinapiClient({ ...valid, accessUrl: server.url, onEvent: (event) => events.push(event) });
      await client.unwrap(client.GET("/api/v2/banks/{id}", { params: { path: { id: 1 } } }));
      expect(events.filter((e) => e.type === "request.finished")).toEqual([
        expect.objectContaining({
          method: "GET",
          path: "/api/v2/banks/{id}",
          operationId: "getBank",
          status: 200,
        }),
      ]);
    } finally {
      await server.close();
    }
  });

  it("the password grant sends client credentials and the user's id and password, form-encoded", async () => {
    const server = await startTestServer((req, res) =>
      req.path === "/api/v2/oauth/token"
        ? json(res, 200, {
            access_token: "user-token",
            token_type: "bearer",
            refresh_token: "r",
            expires_in: 3600,
            scope: "all",
          })
        : json(res, 200, { id: "u", password: "XXXXX", isAutoUpdateEnabled: false }),
    );
    try {
      const user = createFinapiClient({ ...valid, accessUrl: server.url }).forUser({ userId: "u", password: "pw" });
      await user.unwrap(user.GET("/api/v2/users"));
      const tokenRequest = server.requests[0]!;
      expect(tokenRequest.headers["content-type"]).toBe("application/x-www-form-urlencoded");
      expect(Object.fromEntries(new URLSearchParams(tokenRequest.body))).toEqual({
        grant_type: "password",
        username: "u",
        password: "pw",
        client_id: "id",
        client_secret: "secret",
      });
      expect(server.requests[1]!.headers.authorization).toBe("Bearer user-token");
    } finally {
      await server.close();
    }
  });
});

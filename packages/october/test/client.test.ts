import { ApiError, AuthenticationError, ConfigurationError } from "@x/core";
import type { Sandbox } from "@x/sandbox";
import { json, startTestServer, type TestServer } from "@x/testing";
import { inspect } from "node:util";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createOctoberClient, DEFAULT_OCTOBER_VERSION } from "../src/index.js";
import { recordingLogger, sandboxClient, startOctober } from "./helpers.js";

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startOctober();
});
afterAll(() => sandbox.close());
beforeEach(() => sandbox.reset());

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const siren = { type: "siren", id: "514673987" };

describe("createOctoberClient: construction", () => {
  it.each([
    ["userId", { userId: undefined, sessionToken: "t" }],
    ["userId", { userId: "", sessionToken: "t" }],
    ["sessionToken", { userId: "u", sessionToken: undefined }],
    ["sessionToken", { userId: "u", sessionToken: "  " }],
  ])("refuses a missing or empty %s before any request, naming the option", (option, credentials) => {
    const build = () => createOctoberClient(credentials as never);
    expect(build).toThrow(ConfigurationError);
    expect(build).toThrow(expect.objectContaining({ option }));
  });

  it("refuses a version that is not a release date, naming the option", () => {
    expect(() => createOctoberClient({ userId: "u", sessionToken: "t", version: "latest" })).toThrow(expect.objectContaining({ option: "version" }));
  });

  it("refuses a plain-http baseUrl that is not loopback", () => {
    expect(() => createOctoberClient({ userId: "u", sessionToken: "t", baseUrl: "http://api.lending.soprafinancing.io" })).toThrow(expect.objectContaining({ option: "baseUrl" }));
  });

  it("defaults to the production server of the spec", () => {
    expect(createOctoberClient({ userId: "u", sessionToken: "t" }).baseUrl).toBe("https://api.lending.soprafinancing.io");
  });
});

describe("createOctoberClient: the three headers", () => {
  it("sends userId, sessionToken and October-Version 2023-06-01 on every request", async () => {
    server = await startTestServer((_req, res) => json(res, 200, { requests: [], total: 0, limit: 20, skip: 0 }));
    const client = createOctoberClient({ userId: "user-1", sessionToken: "token-1", baseUrl: server.url });
    await client.unwrap(client.GET("/requests"));
    await client.unwrap(client.GET("/requests", { params: { query: { limit: 5 } } }));
    expect(server.requests).toHaveLength(2);
    for (const seen of server.requests) {
      expect(seen.headers).toMatchObject({ userid: "user-1", sessiontoken: "token-1", "october-version": DEFAULT_OCTOBER_VERSION });
    }
  });

  it("lets the client choose the version and one call override it", async () => {
    server = await startTestServer((_req, res) => json(res, 200, { requests: [], total: 0, limit: 20, skip: 0 }));
    const client = createOctoberClient({ userId: "u", sessionToken: "t", baseUrl: server.url, version: "2024-01-25" });
    await client.GET("/requests");
    await client.GET("/requests", { headers: { "October-Version": "2023-06-01" } });
    await client.withOptions({ headers: { "October-Version": "2023-06-01" } }).GET("/requests");
    expect(server.requests.map((r) => r.headers["october-version"])).toEqual(["2024-01-25", "2023-06-01", "2023-06-01"]);
  });

  it("creates, reads, lists and updates requests against the emulator with typed data", async () => {
    const client = sandboxClient(sandbox);
    const { request } = await client.unwrap(client.POST("/requests", { body: { code: siren, name: "ACME" } }));
    expect(request).toMatchObject({ code: siren, status: "pending_analysis", name: "ACME" });
    expect(request.id).toMatch(/^[0-9a-f]{24}$/);

    const read = await client.unwrap(client.GET("/requests/{id}", { params: { path: { id: request.id } } }));
    expect(read.request.id).toBe(request.id);
    const updated = await client.unwrap(client.POST("/requests/{id}", { params: { path: { id: request.id } }, body: { notes: { revenue: 1_200_000 } } }));
    expect(updated.request.notes).toEqual({ revenue: 1_200_000 });
    const list = await client.unwrap(client.GET("/requests"));
    expect(list.requests.map((r) => r.id)).toEqual([request.id]);
  });
});

describe("createOctoberClient: errors", () => {
  it("turns a wrong userId/sessionToken pair into an AuthenticationError, sent once and not retried", async () => {
    const client = sandboxClient(sandbox, { sessionToken: "wrong-token" });
    const error = await client.GET("/requests").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect((error as AuthenticationError).message).toContain("userId/sessionToken pair");
    expect((error as AuthenticationError).status).toBe(401);
    expect(sandbox.provider("october").stats().requests).toBe(1);
  });

  it("maps an unknown October-Version to an ApiError with October's BadRequest code", async () => {
    const client = sandboxClient(sandbox, { version: "1999-01-01" });
    const error = await client.unwrap(client.GET("/requests")).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 400, code: "BadRequest" });
    expect((error as ApiError).message).toContain("Unsupported October-Version");
  });

  it("maps a missing object to an ApiError with the NotFound code", async () => {
    const client = sandboxClient(sandbox);
    const error = await client.unwrap(client.GET("/requests/{id}", { params: { path: { id: "0".repeat(24) } } })).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 404, code: "NotFound" });
  });

  it("retries a 503 on a read and succeeds", async () => {
    const client = sandboxClient(sandbox);
    sandbox.provider("october").setFaults({ failNext: { status: 503, count: 1 } });
    await expect(client.unwrap(client.GET("/requests"))).resolves.toMatchObject({ total: 0 });
    expect(sandbox.provider("october").stats().requests).toBe(2);
  });

  it("never shows the userId or sessionToken in errors, logs or events", async () => {
    const userId = "user-SECRET-4242";
    const sessionToken = "token-SECRET-9999";
    const { lines, logger } = recordingLogger();
    const events: unknown[] = [];
    const options = { userId, sessionToken, baseUrl: sandbox.provider("october").url, logger, onEvent: (e: unknown) => events.push(e), retry: { retries: 1, minDelayMs: 1 } };
    const errors: unknown[] = [];
    const client = createOctoberClient(options);
    errors.push(await client.GET("/requests").catch((e: unknown) => e)); // 401
    sandbox.provider("october").setFaults({ failNext: { status: 500, count: 5 } });
    errors.push(await client.unwrap(client.GET("/requests")).catch((e: unknown) => e)); // 500 after a retry
    sandbox.provider("october").setFaults({ dropNext: 5 });
    errors.push(await client.GET("/requests").catch((e: unknown) => e)); // network error
    errors.push((() => { try { createOctoberClient({ ...options, version: "nope" }); } catch (e) { return e; } })());

    expect(errors.every((e) => e instanceof Error)).toBe(true);
    const seen = [...errors.flatMap((e) => [String(e), JSON.stringify(e), inspect(e, { depth: 10 })]), ...lines, JSON.stringify(events)].join("\n");
    expect(events.length).toBeGreaterThan(0);
    expect(seen).not.toContain(userId);
    expect(seen).not.toContain(sessionToken);
  });
});

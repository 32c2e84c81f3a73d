import { ApiError, AuthenticationError, ConfigurationError } from "@x/core";
import {
  FAST_RETRY,
  json,
  recordingLogger,
  startEmulator,
  startTestServer,
  type StartedEmulator,
  type TestServer,
} from "@x/testing";
import { inspect } from "node:util";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createOctoberClient, DEFAULT_OCTOBER_VERSION, isOctoberError } from "../src/index.js";
import { sandboxClient } from "./helpers.js";

let emulator: StartedEmulator<"october">;
beforeAll(async () => {
  emulator = await startEmulator("october", { reportDelayMs: 40 });
});
afterAll(() => emulator.close());
beforeEach(() => emulator.handle.reset());

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

  it.each(["latest", "2023-13-45", "2024-02-30", "2024-1-25", 20240125])(
    "refuses a version that is not a real release date (%s), naming the option",
    (version) => {
      const build = () => createOctoberClient({ userId: "u", sessionToken: "t", version: version as string });
      expect(build).toThrow(ConfigurationError);
      expect(build).toThrow(expect.objectContaining({ option: "version", provider: "october" }));
    },
  );

  it.each([undefined, null, "u:t"])("refuses options that are not an object (%s) with a typed error", (options) => {
    const build = () => createOctoberClient(options as never);
    expect(build).toThrow(ConfigurationError);
    expect(build).toThrow(expect.objectContaining({ option: "options", provider: "october" }));
    expect(build).toThrow(/userId and sessionToken/);
  });

  it("refuses a plain-http baseUrl that is not loopback", () => {
    expect(() =>
      createOctoberClient({ userId: "u", sessionToken: "t", baseUrl: "http://api.lending.soprafinancing.io" }),
    ).toThrow(expect.objectContaining({ option: "baseUrl" }));
  });

  it("defaults to the production server of the spec", () => {
    expect(createOctoberClient({ userId: "u", sessionToken: "t" }).baseUrl).toBe(
      "https://api.lending.soprafinancing.io",
    );
  });
});

describe("createOctoberClient: the three headers", () => {
  it("sends userId, sessionToken and October-Version 2024-01-25, the latest published, on every request", async () => {
    server = await startTestServer((_req, res) => json(res, 200, { requests: [], total: 0, limit: 20, skip: 0 }));
    const client = createOctoberClient({ userId: "user-1", sessionToken: "token-1", baseUrl: server.url });
    await client.unwrap(client.GET("/requests"));
    await client.unwrap(client.GET("/requests", { params: { query: { limit: 5 } } }));
    expect(server.requests).toHaveLength(2);
    expect(DEFAULT_OCTOBER_VERSION).toBe("2024-01-25");
    for (const seen of server.requests) {
      expect(seen.headers).toMatchObject({
        userid: "user-1",
        sessiontoken: "token-1",
        "october-version": DEFAULT_OCTOBER_VERSION,
      });
    }
  });

  it("lets the client choose the version and one call override it", async () => {
    server = await startTestServer((_req, res) => json(res, 200, { requests: [], total: 0, limit: 20, skip: 0 }));
    const client = createOctoberClient({ userId: "u", sessionToken: "t", baseUrl: server.url, version: "2024-01-25" });
    await client.GET("/requests");
    await client.GET("/requests", { headers: { "October-Version": "2023-06-01" } });
    await client.withOptions({ headers: { "October-Version": "2023-06-01" } }).GET("/requests");
    expect(server.requests.map((r) => r.headers["october-version"])).toEqual([
      "2024-01-25",
      "2023-06-01",
      "2023-06-01",
    ]);
  });

  it("keeps a client pinned to 2023-06-01 working against the emulator", async () => {
    const client = sandboxClient(emulator, { version: "2023-06-01" });
    const { request } = await client.unwrap(client.POST("/requests", { body: { code: siren } }));
    expect(request.status).toBe("pending_analysis");
  });

  it("reads the webhook configurations and their validation keys at GET /businesses/{id}", async () => {
    const client = sandboxClient(emulator);
    const { businessId } = emulator.credentials;
    const { business } = await client.unwrap(client.GET("/businesses/{id}", { params: { path: { id: businessId } } }));
    const [setting] = business.settings.webhooks;
    expect(setting).toMatchObject({ events: ["new_report"], key: expect.stringMatching(/^[0-9a-f]{48}$/) });
  });

  it("creates, reads, lists and updates requests against the emulator with typed data", async () => {
    const client = sandboxClient(emulator);
    const { request } = await client.unwrap(client.POST("/requests", { body: { code: siren, name: "ACME" } }));
    expect(request).toMatchObject({ code: siren, status: "pending_analysis", name: "ACME" });
    expect(request.id).toMatch(/^[0-9a-f]{24}$/);

    const read = await client.unwrap(client.GET("/requests/{id}", { params: { path: { id: request.id } } }));
    expect(read.request.id).toBe(request.id);
    const updated = await client.unwrap(
      client.POST("/requests/{id}", { params: { path: { id: request.id } }, body: { notes: { revenue: 1_200_000 } } }),
    );
    expect(updated.request.notes).toEqual({ revenue: 1_200_000 });
    const list = await client.unwrap(client.GET("/requests"));
    expect(list.requests.map((r) => r.id)).toEqual([request.id]);
  });
});

describe("createOctoberClient: errors", () => {
  it("turns a wrong userId/sessionToken pair into an AuthenticationError, sent once and not retried", async () => {
    const client = sandboxClient(emulator, { sessionToken: "wrong-token" });
    const error = await client.GET("/requests").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect((error as AuthenticationError).message).toContain("userId/sessionToken pair");
    expect((error as AuthenticationError).status).toBe(401);
    expect(emulator.handle.stats().requests).toBe(1);
  });

  it("maps an unknown October-Version to an ApiError with October's BadRequest code", async () => {
    const client = sandboxClient(emulator, { version: "1999-01-01" });
    const error = await client.unwrap(client.GET("/requests")).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 400, code: "BadRequest" });
    expect((error as ApiError).message).toContain("Unsupported October-Version");
  });

  it("maps a missing object to an ApiError with the NotFound code", async () => {
    const client = sandboxClient(emulator);
    const error = await client
      .unwrap(client.GET("/requests/{id}", { params: { path: { id: "0".repeat(24) } } }))
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 404, code: "NotFound" });
  });

  it("retries a 503 on a read and succeeds", async () => {
    const client = sandboxClient(emulator);
    emulator.handle.setFaults({ failNext: { status: 503, count: 1 } });
    await expect(client.unwrap(client.GET("/requests"))).resolves.toMatchObject({ total: 0 });
    expect(emulator.handle.stats().requests).toBe(2);
  });

  it("never shows the userId or sessionToken in errors, logs or events", async () => {
    const userId = "user-SECRET-4242";
    const sessionToken = "token-SECRET-9999";
    const { logger, onEvent, events, text } = recordingLogger();
    const options = { userId, sessionToken, baseUrl: emulator.url, logger, onEvent, retry: FAST_RETRY };
    const errors: unknown[] = [];
    const client = createOctoberClient(options);
    errors.push(await client.GET("/requests").catch((e: unknown) => e)); // 401
    emulator.handle.setFaults({ failNext: { status: 500, count: 5 } });
    errors.push(await client.unwrap(client.GET("/requests")).catch((e: unknown) => e)); // 500 after the retries
    emulator.handle.setFaults({ dropNext: 5 });
    errors.push(await client.GET("/requests").catch((e: unknown) => e)); // network error
    errors.push(
      (() => {
        try {
          createOctoberClient({ ...options, version: "nope" });
        } catch (e) {
          return e;
        }
      })(),
    );

    expect(errors.every((e) => e instanceof Error)).toBe(true);
    const views = errors.flatMap((e) => [String(e), JSON.stringify(e), inspect(e, { depth: 10 })]);
    const seen = [...views, text()].join("\n");
    expect(events.length).toBeGreaterThan(0);
    expect(seen).not.toContain(userId);
    expect(seen).not.toContain(sessionToken);
  });
});

describe("createOctoberClient: credentials echoed by a server", () => {
  it("a 4xx body that echoes the request shows neither userId nor sessionToken, with or without unwrap", async () => {
    const userId = "user-LEAK-CANARY-5d1f";
    const sessionToken = "token-LEAK-CANARY-a07c";
    server = await startTestServer((req, res) => {
      // As a debugging proxy or a careless error handler would: the headers as an object and as text, and the body.
      const request = { method: req.method, path: req.url, headers: req.headers, body: req.body };
      json(res, 400, { name: "BadRequest", message: `rejected ${JSON.stringify(req.headers)} ${req.body}`, request });
    });
    const october = createOctoberClient({ userId, sessionToken, baseUrl: server.url, retry: false });
    const calls: Array<() => Promise<{ data?: unknown; error?: unknown; response: Response }>> = [
      () => october.GET("/requests"),
      () => october.POST("/requests", { body: { code: siren, name: "ACME" } }),
    ];
    for (const call of calls) {
      const { error, response } = await call();
      expect(response.status).toBe(400);
      expect(error).toMatchObject({ name: "BadRequest" });
      const thrown = await october.unwrap(call()).catch((e: unknown) => e);
      expect(isOctoberError(thrown, "BadRequest")).toBe(true);
      const views = [JSON.stringify(error), inspect(error, { depth: 10 }), String(thrown), JSON.stringify(thrown)];
      views.push(inspect(thrown, { depth: 10 }));
      for (const view of views) {
        expect(view).not.toContain(userId);
        expect(view).not.toContain(sessionToken);
      }
    }
    // The canaries did travel: the server saw both on every request.
    const sent = server.requests.map((r) => [r.headers.userid, r.headers.sessiontoken]);
    expect(sent).toEqual(Array(4).fill([userId, sessionToken]));
  });
});

describe("createOctoberClient: helpers and guard", () => {
  it("withOptions keeps every helper (uploadMedium, waitForReport), and they work on the derived client", async () => {
    const root = sandboxClient(emulator);
    const client = root.withOptions({ timeoutMs: 5_000 }).withOptions({ headers: { "October-Version": "2024-01-25" } });
    expect(Object.keys(root).filter((key) => !(key in client))).toEqual([]);
    const { request } = await client.unwrap(client.POST("/requests", { body: { code: siren } }));
    const statement = new Blob(["bank statement"], { type: "application/pdf" });
    const medium = await client.uploadMedium(request.id, statement, { name: "bank_statement" });
    expect(medium.status).toBe("online");
    const report = await client.waitForReport(request.id, "bank", { intervalMs: 10, timeoutMs: 5_000 });
    expect(report).toMatchObject({ kind: "bank", status: "ready" });
  });

  it("isOctoberError recognises this package's errors, by code too, and no other provider's", async () => {
    const client = sandboxClient(emulator);
    const missing = { params: { path: { id: "0".repeat(24) } } };
    const notFound = await client.unwrap(client.GET("/requests/{id}", missing)).catch((e: unknown) => e);
    expect(isOctoberError(notFound)).toBe(true);
    expect(isOctoberError(notFound, "NotFound")).toBe(true);
    expect(isOctoberError(notFound, "BadRequest")).toBe(false);
    const refused = await sandboxClient(emulator, { sessionToken: "wrong" })
      .GET("/requests")
      .catch((e: unknown) => e);
    expect(isOctoberError(refused, "CREDENTIALS_REJECTED")).toBe(true);
    expect(isOctoberError(new ApiError("x", { provider: "sfs", status: 404, code: "NotFound" }))).toBe(false);
    expect(isOctoberError(new Error("x"))).toBe(false);
  });
});

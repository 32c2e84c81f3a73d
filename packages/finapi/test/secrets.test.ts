import { inspect } from "node:util";
import type { SdkEvent } from "@x/core";
import { json, recordingLogger, startTestServer, type TestServer } from "@x/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFinapiClient } from "../src/index.js";
import { startFinapi, type FinapiSandbox } from "./helpers.js";

let env: FinapiSandbox;
beforeAll(async () => {
  env = await startFinapi();
});
afterAll(() => env.close());

const CLIENT_SECRET = "known-client-secret-Zq81";
const USER_PASSWORD = "known-user-password-Kx42";

/** Every view of an error a program or a log could show. */
const views = (error: unknown) => [
  String(error),
  JSON.stringify(error),
  inspect(error, { depth: 10 }),
  error instanceof Error ? (error.stack ?? "") : "",
];

describe("no secret leaks", () => {
  it(
    "refused client secret, user password and process " + "credentials never appear in errors, logs or events",
    async () => {
      const rec = recordingLogger<SdkEvent>();
      const reporting = { logger: rec.logger, onEvent: rec.onEvent };
      const errors: unknown[] = [];
      const badClient = env.client({ ...reporting, clientSecret: CLIENT_SECRET });
      errors.push(await badClient.createUser({}).catch((e: unknown) => e));
      errors.push(await badClient.startProcess({ clientReference: "r" }).catch((e: unknown) => e));
      const badClientUser = badClient.forUser({ userId: "demo-user", password: USER_PASSWORD });
      errors.push(await badClientUser.GET("/api/v2/users").catch((e: unknown) => e));
      const badUser = env.client(reporting).forUser({ userId: env.credentials.userId, password: USER_PASSWORD });
      errors.push(await badUser.unwrap(badUser.GET("/api/v2/users")).catch((e: unknown) => e));

      expect(errors.every((e) => e instanceof Error)).toBe(true);
      const seen = [...errors.flatMap(views), rec.text()].join("\n");
      expect(rec.lines.length).toBeGreaterThan(0);
      expect(seen).not.toContain(CLIENT_SECRET);
      expect(seen).not.toContain(USER_PASSWORD);
      expect(seen).not.toContain(env.credentials.clientSecret);
    },
  );

  it("issued tokens never appear in events or logs of a normal session", async () => {
    const rec = recordingLogger<SdkEvent>();
    const client = env.client({ logger: rec.logger, onEvent: rec.onEvent });
    const created = await client.createUser({ password: USER_PASSWORD });
    const user = client.forUser({ userId: created.id, password: created.password });
    await user.unwrap(user.GET("/api/v2/users"));
    const { authorization } = await user.auth!.authorize(user.runtime);
    await user.revoke();
    const text = rec.text();
    expect(text).toContain("token.fetched");
    expect(text).not.toContain(authorization!.replace("Bearer ", ""));
    expect(text).not.toContain(USER_PASSWORD);
  });
});

describe("a server that echoes the request into its error", () => {
  const tokens = { client: "client-token-Qw12", user: "user-token-Er34", refresh: "refresh-token-Ty56" };
  const processUserToken = "process-user-token-Ui78";
  const processToken = "process-token-Op90";
  let server: TestServer;
  beforeAll(async () => {
    // Tokens for the token grants and the process exchange; every API call answered with a 422 that quotes the
    // request line, every header and the body verbatim, inside strings, where no field name marks them secret.
    server = await startTestServer((req, res) => {
      if (req.path === "/api/v2/oauth/token") {
        const form = new URLSearchParams(req.body);
        const user = form.get("grant_type") === "password";
        const accessToken = user ? tokens.user : tokens.client;
        const grant = { access_token: accessToken, token_type: "bearer", expires_in: 3600, scope: "all" };
        return json(res, 200, user ? { ...grant, refresh_token: tokens.refresh } : grant);
      }
      if (req.method === "POST" && req.path === "/api/v1/processes" && !req.body.includes("echo-422")) {
        return json(res, 201, { processes: [{ processToken, clientReference: "echo" }] });
      }
      if (req.path === `/api/v1/processes/${processToken}`) return json(res, 200, { accessToken: processUserToken });
      const echo = `${req.method} ${req.url} with ${JSON.stringify(req.headers)} and ${req.body}`;
      json(res, 422, { errors: [{ code: "ILLEGAL_FIELD_VALUE", message: echo, type: "BUSINESS" }], endpoint: echo });
    });
  });
  afterAll(() => server.close());

  it("scrubs client secret, password and every token from { error }, ApiError and their views", async () => {
    const rec = recordingLogger<SdkEvent>();
    const finapi = createFinapiClient({
      clientId: "echo-client",
      clientSecret: CLIENT_SECRET,
      accessUrl: server.url,
      processControllerUrl: server.url,
      retry: false,
      logger: rec.logger,
      onEvent: rec.onEvent,
    });
    const user = finapi.forUser({ userId: "echo-user", password: USER_PASSWORD });
    const { client: processClient } = await finapi.startProcess({ clientReference: "echo" });
    const body = { id: "new-user", password: "password-of-the-new-user" };

    const unwrapped = await Promise.all([
      finapi.unwrap(finapi.POST("/api/v2/users", { body })).catch((e: unknown) => e),
      finapi.createUser(body).catch((e: unknown) => e),
      user.unwrap(user.GET("/api/v2/accounts")).catch((e: unknown) => e),
      processClient.unwrap(processClient.GET("/api/v2/bankConnections")).catch((e: unknown) => e),
      // The Process Controller's POST carries the client secret in its body.
      finapi.startProcess({ clientReference: "echo-422" }).catch((e: unknown) => e),
    ]);
    const plain = [
      (await finapi.POST("/api/v2/users", { body })).error,
      (await user.GET("/api/v2/accounts")).error,
      (await processClient.GET("/api/v2/bankConnections")).error,
    ];

    // The server did see every credential, so each one really was echoed.
    const sent = server.requests.map((r) => `${JSON.stringify(r.headers)} ${r.body}`).join("\n");
    const credentials = [CLIENT_SECRET, USER_PASSWORD, tokens.client, tokens.user, processUserToken];
    for (const credential of credentials) expect(sent).toContain(credential);

    expect(unwrapped.every((e) => e instanceof Error && (e as { status?: number }).status === 422)).toBe(true);
    expect(plain.every((error) => error !== undefined)).toBe(true);
    const seen = [...unwrapped.flatMap(views), ...plain.flatMap(views), rec.text()].join("\n");
    expect(seen).toContain("[redacted]");
    for (const credential of [...credentials, tokens.refresh, processToken]) expect(seen).not.toContain(credential);
  });
});

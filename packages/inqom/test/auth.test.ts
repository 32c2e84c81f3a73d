import { inspect } from "node:util";
import {
  ApiError,
  AuthenticationError,
  ConfigurationError,
  createTokenCache,
  type BearerTokenAuth,
  type SdkEvent,
} from "@x/core";
import { json, recordingLogger, startEmulator, startTestServer, type StartedEmulator } from "@x/testing";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createInqomClient, isInqomError } from "../src/index.js";
import { IBAN, OTHER_IBAN, sandboxClient, serverCredentials } from "./helpers.js";

let emulator: StartedEmulator<"inqom">;
beforeAll(async () => {
  emulator = await startEmulator("inqom");
});
afterAll(() => emulator.close());
beforeEach(() => emulator.handle.reset());

const stats = () => emulator.handle.stats();

describe("inqom token", () => {
  it("sends the documented password grant, form-encoded, and reuses one token across calls", async () => {
    const server = await startTestServer((req, res) => {
      if (req.path === "/identity/connect/token")
        return json(res, 200, { access_token: "t1", expires_in: 3600, token_type: "Bearer", scope: "openid apidata" });
      json(res, 201, { Id: 1, DossierId: 1001, Iban: "x", BankName: "b", IsCfonbControlActive: true });
    });
    try {
      const client = createInqomClient({
        username: "u@example.com",
        password: "pw",
        clientId: "cid",
        clientSecret: "cs",
        baseUrl: server.url,
        authUrl: `${server.url}/identity/connect/token`,
      });
      await client.createCfonbAccount(1001, { iban: IBAN, bankName: "Bank" });
      await client.createCfonbAccount(1001, { iban: OTHER_IBAN, bankName: "Bank" });
      const [token, ...calls] = server.requests;
      expect(token?.headers["content-type"]).toBe("application/x-www-form-urlencoded");
      expect(Object.fromEntries(new URLSearchParams(token?.body))).toEqual({
        grant_type: "password",
        username: "u@example.com",
        password: "pw",
        scope: "openid apidata",
        client_id: "cid",
        client_secret: "cs",
      });
      expect(calls.map((c) => c.headers.authorization)).toEqual(["Bearer t1", "Bearer t1"]);
    } finally {
      await server.close();
    }
  });

  it("fetches one token for many concurrent calls against the sandbox", async () => {
    const client = sandboxClient(emulator);
    await Promise.all(
      [IBAN, OTHER_IBAN].map((iban, i) => client.createCfonbAccount(1001 + i, { iban, bankName: "Bank" })),
    );
    await client.createCfonbAccount(1002, { iban: IBAN, bankName: "Bank" });
    expect(stats().tokensIssued).toEqual({ access: 1 });
  });

  it("renews the token before it expires, so no call is refused", async () => {
    const short = await startEmulator("inqom", { tokenTtlSeconds: 1 });
    try {
      const client = sandboxClient(short);
      await client.createCfonbAccount(1001, { iban: IBAN, bankName: "Bank" });
      await new Promise((resolve) => setTimeout(resolve, 1_050));
      await client.createCfonbAccount(1002, { iban: IBAN, bankName: "Bank" });
      // Two tokens, two calls and no refused call in between: the cache renewed ahead of expiry.
      expect(short.handle.stats()).toEqual({ requests: 4, tokensIssued: { access: 2 } });
    } finally {
      await short.close();
    }
  });

  it("takes the lifetime from the JWT's exp when the identity server gives no expires_in", async () => {
    const noExpiresIn = await startEmulator("inqom", { omitExpiresIn: true, tokenTtlSeconds: 600 });
    try {
      const tokenCache = createTokenCache();
      const client = sandboxClient(noExpiresIn, { tokenCache });
      await client.createCfonbAccount(1001, { iban: IBAN, bankName: "Bank" });
      const token = await tokenCache.peek(await (client.auth as BearerTokenAuth).cacheKey(client.runtime));
      expect(((token?.expiresAt ?? 0) - (token?.issuedAt ?? 0)) / 1000).toBeCloseTo(600, -1);
    } finally {
      await noExpiresIn.close();
    }
  });

  it("answers a 403 InvalidToken by fetching a new token once and replaying the call", async () => {
    const client = sandboxClient(emulator);
    await client.createCfonbAccount(1001, { iban: IBAN, bankName: "Bank" });
    emulator.handle.control.expireAllTokens();
    const account = await client.createCfonbAccount(1002, { iban: IBAN, bankName: "Bank" });
    expect(account.DossierId).toBe(1002);
    expect(stats()).toEqual({ requests: 5, tokensIssued: { access: 2 } });
  });

  it("retries a token request that met a 503, and never re-sends a create call whose connection dropped", async () => {
    const client = sandboxClient(emulator);
    emulator.handle.setFaults({ failNext: { status: 503, count: 1 } });
    await client.createCfonbAccount(1001, { iban: IBAN, bankName: "Bank" });
    emulator.handle.setFaults({ dropNext: 1 });
    // The dropped request is the create call itself (a POST, not retried), so it surfaces as a NetworkError.
    await expect(client.createCfonbAccount(1002, { iban: IBAN, bankName: "Bank" })).rejects.toMatchObject({
      name: "NetworkError",
    });
    // 503'd token request, its retry, the first create, the dropped create: nothing sent twice.
    expect(stats()).toEqual({ requests: 4, tokensIssued: { access: 1 } });
    expect(emulator.handle.control.accounts(1002)).toEqual([]);
  });

  it("does not renew the token for a 403 about rights on a dossier: it is an ApiError Forbidden", async () => {
    const client = sandboxClient(emulator);
    const error = await client.createCfonbAccount(4242, { iban: IBAN, bankName: "Bank" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 403, code: "Forbidden" });
    expect(stats().tokensIssued).toEqual({ access: 1 });
  });

  it("gives up with an AuthenticationError when a fresh token is refused too, never looping", async () => {
    let tokens = 0;
    const server = await startTestServer((req, res) => {
      if (req.path === "/identity/connect/token")
        return json(res, 200, { access_token: `t${++tokens}`, expires_in: 3600 });
      json(res, 403, { Code: "InvalidToken", Message: "The access token is invalid." });
    });
    try {
      const client = createInqomClient({
        ...serverCredentials(server),
      });
      const error = await client.createCfonbAccount(1001, { iban: IBAN, bankName: "Bank" }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AuthenticationError);
      expect(error).toMatchObject({ code: "TOKEN_REJECTED", status: 403 });
      expect(server.requests.map((r) => r.path)).toEqual([
        "/identity/connect/token",
        expect.any(String),
        "/identity/connect/token",
        expect.any(String),
      ]);
    } finally {
      await server.close();
    }
  });

  it(
    "refuses a wrong password with an AuthenticationError " + "that never contains the password or the client secret",
    async () => {
      const recording = recordingLogger<SdkEvent>();
      const secrets = { password: "s3cret-Passw0rd!", clientSecret: emulator.credentials.clientSecret };
      const client = sandboxClient(emulator, {
        password: secrets.password,
        onEvent: recording.onEvent,
        logger: recording.logger,
      });
      const error = await client.createCfonbAccount(1001, { iban: IBAN, bankName: "Bank" }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AuthenticationError);
      expect(error).toMatchObject({ code: "invalid_grant", status: 400, provider: "inqom" });
      const wrongClient = sandboxClient(emulator, { clientSecret: "wrong-client-secret-value" });
      const clientError = await wrongClient
        .createCfonbAccount(1001, { iban: IBAN, bankName: "Bank" })
        .catch((e: unknown) => e);
      expect(clientError).toMatchObject({ code: "invalid_client" });
      const surfaces = [error, clientError].flatMap((e) => [
        String(e),
        (e as Error).message,
        JSON.stringify(e),
        inspect(e, { depth: 10 }),
        (e as Error).stack ?? "",
      ]);
      const authorized = await client.auth?.authorize(client.runtime).catch((e: unknown) => String(e));
      surfaces.push(recording.text(), JSON.stringify(authorized));
      for (const secret of [...Object.values(secrets), "wrong-client-secret-value"]) {
        for (const surface of surfaces) expect(surface).not.toContain(secret);
      }
    },
  );

  it("a 4xx body echoing the request shows no credential nor the access token, with or without unwrap", async () => {
    const credentials = {
      username: "user-LEAK-CANARY@example.com",
      password: "pw-LEAK-CANARY-3e9a",
      clientId: "cid-LEAK-CANARY-71f0",
      clientSecret: "cs-LEAK-CANARY-b5d2",
    };
    const ACCESS_TOKEN = "at-LEAK-CANARY-c8e4";
    const server = await startTestServer((req, res) => {
      if (req.path === "/identity/connect/token") {
        return json(res, 200, { access_token: ACCESS_TOKEN, expires_in: 3600 });
      }
      // As a debugging proxy or a careless error handler would: the headers and the body as fields, and as text in the
      // message with the user and client named.
      const request = { method: req.method, path: req.url, headers: req.headers, body: req.body };
      const sent = `${JSON.stringify(req.headers)} ${req.body}`;
      const message = `user ${credentials.username} (client ${credentials.clientId}) may not send ${sent}`;
      json(res, 400, { Code: "InvalidRequest", Message: message, request });
    });
    try {
      const authUrl = `${server.url}/identity/connect/token`;
      const client = createInqomClient({ ...credentials, baseUrl: server.url, authUrl, retry: false });
      const path = "/api/app/banking/enterprises/{dossierId}/manual/ebics/accounts";
      const body = { Iban: "FR7630006000011234567890189", BankName: "Bank", IsCfonbControlActive: true };
      const call = () => client.POST(path, { params: { path: { dossierId: 1001 } }, body });
      const { error, response } = await call();
      expect(response.status).toBe(400);
      expect(error).toMatchObject({ Code: "InvalidRequest" });
      const thrown = await client.unwrap(call()).catch((e: unknown) => e);
      const helper = await client.createCfonbAccount(1001, { iban: IBAN, bankName: "Bank" }).catch((e: unknown) => e);
      const views = [JSON.stringify(error), inspect(error, { depth: 10 })];
      for (const e of [thrown, helper]) {
        expect(isInqomError(e, "InvalidRequest")).toBe(true);
        views.push(String(e), JSON.stringify(e), inspect(e, { depth: 10 }));
      }
      for (const secret of [...Object.values(credentials), ACCESS_TOKEN]) {
        for (const view of views) expect(view).not.toContain(secret);
      }
      // The canaries did travel: the token request carried the credentials, every call the token.
      const [token, ...calls] = server.requests;
      for (const secret of Object.values(credentials)) expect(decodeURIComponent(token?.body ?? "")).toContain(secret);
      expect(calls.map((c) => c.headers.authorization)).toEqual(Array(3).fill(`Bearer ${ACCESS_TOKEN}`));
    } finally {
      await server.close();
    }
  });

  it("validates credentials at construction, naming the option", () => {
    const base = { username: "u", password: "p", clientId: "c", clientSecret: "s" };
    for (const option of ["username", "password", "clientId", "clientSecret"] as const) {
      expect(() => createInqomClient({ ...base, [option]: "" })).toThrow(expect.objectContaining({ option }));
      expect(() => createInqomClient({ ...base, [option]: undefined as unknown as string })).toThrow(
        ConfigurationError,
      );
    }
    expect(() => createInqomClient({ ...base, environment: "recette" as never })).toThrow(
      expect.objectContaining({ option: "environment" }),
    );
    expect(() => createInqomClient({ ...base, baseUrl: "http://127.0.0.1:1" })).toThrow(
      expect.objectContaining({ option: "authUrl" }),
    );
    expect(() =>
      createInqomClient({ ...base, baseUrl: "https://x.example", authUrl: "http://auth.example/token" }),
    ).toThrow(expect.objectContaining({ option: "authUrl" }));
    expect(createInqomClient({ ...base, environment: "staging" }).baseUrl).toBe(
      "https://wa-fred-banking-staging.azurewebsites.net",
    );
  });

  it("refuses missing options with a typed error naming the fix, not a TypeError (issue 22)", () => {
    for (const options of [null, undefined, "secret-looking-string"]) {
      const error = (() => {
        try {
          createInqomClient(options as never);
        } catch (e) {
          return e;
        }
      })();
      expect(error).toBeInstanceOf(ConfigurationError);
      expect(error).toMatchObject({ option: "options", provider: "inqom" });
      expect(String(error)).toMatch(/createInqomClient takes an options object, e\.g\. \{ clientId, clientSecret/);
      expect(String(error)).not.toContain("secret-looking-string");
    }
  });

  it("sends the scope it is given, and keeps a token per scope", async () => {
    const server = await startTestServer((req, res) => {
      if (req.path === "/identity/connect/token") {
        const scope = new URLSearchParams(req.body).get("scope");
        return json(res, 200, { access_token: `t-${scope?.length}`, expires_in: 3600, token_type: "Bearer" });
      }
      json(res, 201, { Id: 1, DossierId: 1001, Iban: "x", BankName: "b", IsCfonbControlActive: true });
    });
    try {
      const tokenCache = createTokenCache();
      const options = {
        username: "u@example.com",
        password: "pw",
        clientId: "cid",
        clientSecret: "cs",
        baseUrl: server.url,
        authUrl: `${server.url}/identity/connect/token`,
        tokenCache,
      };
      const wide = createInqomClient({ ...options, scope: "openid email apidata accountingdocumentsapi" });
      const narrow = createInqomClient(options);
      await wide.createCfonbAccount(1001, { iban: IBAN, bankName: "Bank" });
      await narrow.createCfonbAccount(1001, { iban: IBAN, bankName: "Bank" });
      const scopes = server.requests
        .filter((r) => r.path === "/identity/connect/token")
        .map((r) => new URLSearchParams(r.body).get("scope"));
      expect(scopes).toEqual(["openid email apidata accountingdocumentsapi", "openid apidata"]);
      expect(() => createInqomClient({ ...options, scope: "" })).toThrow(expect.objectContaining({ option: "scope" }));
    } finally {
      await server.close();
    }
  });
});

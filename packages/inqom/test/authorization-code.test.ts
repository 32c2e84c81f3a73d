import { createHash } from "node:crypto";
import {
  AuthenticationError,
  ConfigurationError,
  createTokenCache,
  memoryTokenStore,
  type SdkEvent,
  type TokenStore,
} from "@x/core";
import { FAST_RETRY, json, recordingLogger, startEmulator, startTestServer, type StartedEmulator } from "@x/testing";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  INQOM_USER_SCOPE,
  createInqomAccountingClient,
  createInqomUserClient,
  entryLines,
  inqomAuthorizeUrl,
  isInqomError,
  type InqomUserClientOptions,
} from "../src/index.js";
import { IBAN, OTHER_IBAN, sandboxAccountingClient } from "./helpers.js";

let emulator: StartedEmulator<"inqom">;
beforeAll(async () => {
  emulator = await startEmulator("inqom");
});
afterAll(() => emulator.close());
beforeEach(() => emulator.handle.reset());

const REDIRECT_URI = "http://127.0.0.1:8080/inqom/callback";
const stats = () => emulator.handle.stats();
const sandboxUrls = () => ({
  baseUrl: emulator.url,
  authUrl: `${emulator.url}/identity/connect/token`,
  authorizeUrl: `${emulator.url}/identity/connect/authorize`,
});

/** The user's part: opens the authorize URL as a browser would and returns where Inqom sent them back. */
async function logIn(url: string, loginHint?: string): Promise<URL> {
  const login = new URL(url);
  if (loginHint) login.searchParams.set("login_hint", loginHint); // the sandbox's stand-in for the login form
  const response = await fetch(login, { redirect: "manual" });
  expect(response.status).toBe(302);
  return new URL(response.headers.get("location") ?? "");
}

function userClient(overrides: Partial<InqomUserClientOptions> = {}) {
  const { clientId, clientSecret } = emulator.credentials;
  const { baseUrl, authUrl } = sandboxUrls();
  return createInqomUserClient({
    clientId,
    clientSecret,
    user: "app-user-1",
    redirectUri: REDIRECT_URI,
    baseUrl,
    authUrl,
    retry: FAST_RETRY,
    ...overrides,
  });
}

/** The whole login: authorize URL, the user's visit, the code exchange. */
async function loggedIn(overrides: Partial<InqomUserClientOptions> = {}, loginHint?: string, pkce = false) {
  const client = userClient(overrides);
  const { clientId } = emulator.credentials;
  const started = await inqomAuthorizeUrl({
    clientId,
    redirectUri: REDIRECT_URI,
    authorizeUrl: sandboxUrls().authorizeUrl,
    pkce,
  });
  const back = await logIn(started.url, loginHint);
  await client.exchangeCode({
    code: back.searchParams.get("code") ?? "",
    state: back.searchParams.get("state") ?? "",
    expectedState: started.state,
    ...(started.codeVerifier ? { codeVerifier: started.codeVerifier } : {}),
  });
  return client;
}

const bearerSubject = (authorization: string | undefined) =>
  JSON.parse(Buffer.from((authorization ?? "").split(".")[1] ?? "", "base64url").toString()).sub as string;

describe("inqom authorize URL", () => {
  it("builds the documented authorize request: production host, code, client, redirect, scopes, state", async () => {
    const a = await inqomAuthorizeUrl({ clientId: "my-app", redirectUri: "https://app.example.com/cb" });
    const b = await inqomAuthorizeUrl({ clientId: "my-app", redirectUri: "https://app.example.com/cb" });
    const url = new URL(a.url);
    expect(`${url.origin}${url.pathname}`).toBe("https://auth.inqom.com/identity/connect/authorize");
    expect(Object.fromEntries(url.searchParams)).toEqual({
      response_type: "code",
      client_id: "my-app",
      redirect_uri: "https://app.example.com/cb",
      scope: "openid email offline_access apidata accountingdocumentsapi",
      state: a.state,
    });
    expect(INQOM_USER_SCOPE).toBe("openid email offline_access apidata accountingdocumentsapi");
    expect(a.state).toMatch(/^[\w-]{43}$/); // 32 random bytes
    expect(b.state).not.toBe(a.state);
    expect(a.codeVerifier).toBeUndefined();
    const staging = new URL(
      (await inqomAuthorizeUrl({ clientId: "c", redirectUri: REDIRECT_URI, environment: "staging" })).url,
    );
    expect(staging.origin).toBe("https://auth-staging.inqom.com");
  });

  it("adds an S256 PKCE challenge of the verifier it returns when asked", async () => {
    const { url, codeVerifier } = await inqomAuthorizeUrl({ clientId: "c", redirectUri: REDIRECT_URI, pkce: true });
    const query = new URL(url).searchParams;
    expect(codeVerifier).toMatch(/^[\w-]{43}$/);
    expect(query.get("code_challenge_method")).toBe("S256");
    expect(query.get("code_challenge")).toBe(
      createHash("sha256")
        .update(codeVerifier ?? "")
        .digest("base64url"),
    );
  });

  it("refuses a plain-http redirect URI off loopback and a missing client id, naming the option", async () => {
    await expect(inqomAuthorizeUrl({ clientId: "c", redirectUri: "http://app.example.com/cb" })).rejects.toMatchObject({
      name: "ConfigurationError",
      option: "redirectUri",
    });
    await expect(inqomAuthorizeUrl({ clientId: "", redirectUri: REDIRECT_URI })).rejects.toMatchObject({
      option: "clientId",
    });
    await expect(
      inqomAuthorizeUrl({ clientId: "c", redirectUri: REDIRECT_URI, environment: "recette" as never }),
    ).rejects.toMatchObject({ option: "environment", message: expect.stringMatching(/production, staging/) });
  });
});

describe("inqom authorization-code flow against the sandbox", () => {
  it("logs a user in, exchanges the code and calls the banking API with that user's token", async () => {
    const client = await loggedIn({}, "expert@inqom.example");
    const account = await client.createCfonbAccount(1001, { iban: IBAN, bankName: "Bank" });
    expect(account.DossierId).toBe(1001);
    expect(stats().tokensIssued).toMatchObject({ code: 1, access: 1, refresh: 1 });
  });

  it("renews a refused access token with the refresh token (rotated), and replays the call once", async () => {
    const client = await loggedIn();
    await client.createCfonbAccount(1001, { iban: IBAN, bankName: "Bank" });
    emulator.handle.control.expireAllTokens();
    await client.createCfonbAccount(1001, { iban: OTHER_IBAN, bankName: "Bank" });
    expect(stats().tokensIssued).toMatchObject({ code: 1, access: 2, refresh: 2 });
    // The rotated refresh token was kept: a second renewal works too.
    emulator.handle.control.expireAllTokens();
    await client.createCfonbAccount(1002, { iban: IBAN, bankName: "Bank" });
    expect(stats().tokensIssued).toMatchObject({ access: 3, refresh: 3 });
  });

  it("keeps each user's tokens under a key of their own, with no token nor user id in the key", async () => {
    const keys = new Set<string>();
    const memory = memoryTokenStore();
    const store: TokenStore = { ...memory, set: (key, token, ttl) => (keys.add(key), memory.set(key, token, ttl)) };
    const tokenCache = createTokenCache({ store });
    const alice = await loggedIn({ user: "alice", tokenCache }, "demo@inqom.example");
    const bob = await loggedIn({ user: "bob", tokenCache }, "expert@inqom.example");
    await alice.createCfonbAccount(1001, { iban: IBAN, bankName: "Bank" });
    await bob.createCfonbAccount(1002, { iban: IBAN, bankName: "Bank" });
    await alice.createCfonbAccount(1001, { iban: OTHER_IBAN, bankName: "Bank" });
    expect(keys.size).toBe(2);
    const tokens = await Promise.all([...keys].map((key) => memory.get(key)));
    for (const key of keys) {
      expect(key).not.toMatch(/alice|bob/);
      for (const token of tokens) {
        expect(key).not.toContain(token?.accessToken);
        expect(key).not.toContain(token?.refreshToken);
      }
    }
    expect(tokens.map((t) => bearerSubject(`x.${t?.accessToken.split(".")[1]}`)).sort()).toEqual([
      "demo@inqom.example",
      "expert@inqom.example",
    ]);
    expect(stats().tokensIssued).toMatchObject({ code: 2, access: 2 }); // the third call reused alice's token
  });

  it("renews the user's token ahead of its expiry with the refresh token, so no call is refused", async () => {
    const shortLived = await startEmulator("inqom", { tokenTtlSeconds: 2 });
    try {
      const { clientId, clientSecret } = shortLived.credentials;
      const urls = { baseUrl: shortLived.url, authUrl: `${shortLived.url}/identity/connect/token` };
      const client = createInqomUserClient({ clientId, clientSecret, user: "u", redirectUri: REDIRECT_URI, ...urls });
      const started = await inqomAuthorizeUrl({
        clientId,
        redirectUri: REDIRECT_URI,
        authorizeUrl: `${shortLived.url}/identity/connect/authorize`,
      });
      const back = await logIn(started.url);
      const code = back.searchParams.get("code") ?? "";
      await client.exchangeCode({ code, state: started.state, expectedState: started.state });
      await client.createCfonbAccount(1001, { iban: IBAN, bankName: "Bank" });
      await new Promise((resolve) => setTimeout(resolve, 1900)); // inside the refresh margin (10% of 2 s)
      await client.createCfonbAccount(1001, { iban: OTHER_IBAN, bankName: "Bank" });
      const shortStats = shortLived.handle.stats();
      expect(shortStats.tokensIssued).toMatchObject({ code: 1, access: 2, refresh: 2 });
      expect(shortStats.requests).toBe(5); // authorize, exchange, call, refresh, call: no refused call replayed
    } finally {
      await shortLived.close();
    }
  });

  it("never puts the code, the verifier or a token in events or log lines", async () => {
    const recording = recordingLogger<SdkEvent>();
    const { logger, onEvent } = recording;
    const client = await loggedIn({ onEvent, logger }, undefined, true);
    await client.createCfonbAccount(1001, { iban: IBAN, bankName: "Bank" });
    emulator.handle.control.revokeRefreshTokens();
    emulator.handle.control.expireAllTokens();
    await client.createCfonbAccount(1001, { iban: OTHER_IBAN, bankName: "Bank" }).catch(() => undefined);
    const seen = recording.text();
    expect(recording.events.some((event) => event.type === "token.fetched")).toBe(true);
    // JWTs and the sandbox's base64url codes and refresh tokens are long runs of [\w-]; none may appear.
    expect(seen).not.toMatch(/eyJ[\w-]{10,}/);
    expect(seen).not.toMatch(/[\w-]{40,}/);
  });

  it("verifies PKCE: the exchange needs the verifier of the challenge", async () => {
    const client = userClient();
    const { clientId } = emulator.credentials;
    const started = await inqomAuthorizeUrl({
      clientId,
      redirectUri: REDIRECT_URI,
      authorizeUrl: sandboxUrls().authorizeUrl,
      pkce: true,
    });
    const back = await logIn(started.url);
    const code = back.searchParams.get("code") ?? "";
    const state = started.state;
    const error = await client
      .exchangeCode({ code, state, expectedState: state, codeVerifier: "x".repeat(43) })
      .catch((e) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error.code).toBe("AUTHORIZATION_CODE_REJECTED");
    expect(await loggedIn({}, undefined, true)).toBeDefined();
  });

  it("gives an AUTHORIZATION_CODE_REJECTED for an unknown or used code, without quoting it", async () => {
    const client = userClient();
    const error = await client
      .exchangeCode({ code: "not-a-real-code-4711", state: "s", expectedState: "s" })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(isInqomError(error, "AUTHORIZATION_CODE_REJECTED")).toBe(true);
    expect((error as AuthenticationError).status).toBe(400);
    expect((error as Error).message).toMatch(/through the login \(authorize URL\) again/);
    expect(JSON.stringify(error) + String(error)).not.toContain("not-a-real-code-4711");

    // A code works once.
    const { clientId } = emulator.credentials;
    const started = await inqomAuthorizeUrl({
      clientId,
      redirectUri: REDIRECT_URI,
      authorizeUrl: sandboxUrls().authorizeUrl,
    });
    const back = await logIn(started.url);
    const input = { code: back.searchParams.get("code") ?? "", state: started.state, expectedState: started.state };
    await client.exchangeCode(input);
    await expect(client.exchangeCode(input)).rejects.toMatchObject({ code: "AUTHORIZATION_CODE_REJECTED" });
  });

  it("refuses a state that differs from the one sent, and sends nothing", async () => {
    const client = userClient();
    const before = stats().requests;
    const error = await client.exchangeCode({ code: "abc", state: "forged", expectedState: "mine" }).catch((e) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error.code).toBe("STATE_MISMATCH");
    expect(stats().requests).toBe(before);
    await expect(client.exchangeCode({ code: "abc", state: "s" } as never)).rejects.toMatchObject({
      name: "ConfigurationError",
      option: "expectedState",
    });
  });

  it("says REFRESH_TOKEN_REJECTED when the refresh token is refused: the user must log in again", async () => {
    const client = await loggedIn();
    emulator.handle.control.revokeRefreshTokens();
    emulator.handle.control.expireAllTokens();
    const error = await client.createCfonbAccount(1001, { iban: IBAN, bankName: "Bank" }).catch((e) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error.code).toBe("REFRESH_TOKEN_REJECTED");
    expect(error.message).toMatch(/refresh token.*through the login/);
  });

  it("says LOGIN_REQUIRED for a user without a session, before any API call", async () => {
    const before = stats().requests;
    const error = await userClient({ user: "nobody-yet" })
      .createCfonbAccount(1001, { iban: IBAN, bankName: "Bank" })
      .catch((e) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error.code).toBe("LOGIN_REQUIRED");
    expect(stats().requests).toBe(before);
  });

  it("sends the RFC 6749 exchange and refresh forms, client credentials in the body", async () => {
    const server = await startTestServer((req, res) => {
      if (req.path !== "/identity/connect/token") return json(res, 403, { Code: "InvalidToken", Message: "expired" });
      const grant = new URLSearchParams(req.body).get("grant_type");
      json(res, 200, {
        access_token: `at-${grant}`,
        expires_in: 3600,
        refresh_token: `rt-${grant}`,
        token_type: "Bearer",
      });
    });
    try {
      const client = createInqomUserClient({
        clientId: "cid",
        clientSecret: "cs",
        user: "u1",
        redirectUri: REDIRECT_URI,
        baseUrl: server.url,
        authUrl: `${server.url}/identity/connect/token`,
        retry: false,
      });
      await client.exchangeCode({ code: "the-code", state: "s", expectedState: "s", codeVerifier: "v".repeat(43) });
      await client.createCfonbAccount(1001, { iban: IBAN, bankName: "Bank" }).catch(() => undefined);
      const forms = server.requests
        .filter((r) => r.path === "/identity/connect/token")
        .map((r) => Object.fromEntries(new URLSearchParams(r.body)));
      expect(forms).toEqual([
        {
          grant_type: "authorization_code",
          code: "the-code",
          redirect_uri: REDIRECT_URI,
          code_verifier: "v".repeat(43),
          client_id: "cid",
          client_secret: "cs",
        },
        { grant_type: "refresh_token", refresh_token: "rt-authorization_code", client_id: "cid", client_secret: "cs" },
      ]);
    } finally {
      await server.close();
    }
  });

  it("validates a user client's options, naming the option", () => {
    const valid = { clientId: "c", clientSecret: "s", user: "u", redirectUri: REDIRECT_URI };
    expect(() => createInqomUserClient({ ...valid, user: "" })).toThrow(ConfigurationError);
    expect(() => createInqomUserClient({ ...valid, redirectUri: "ftp://x" })).toThrow(/redirectUri/);
    expect(() => createInqomUserClient(null as never)).toThrow(/createInqomUserClient takes an options object/);
  });
});

describe("inqom accounting API", () => {
  const passwordAccounting = () => sandboxAccountingClient(emulator);

  it("lists the firm's dossiers and searches them (provisioning reads on the accounting host)", async () => {
    const client = passwordAccounting();
    const companyId = Number(emulator.credentials.companyId);
    const path = { companyId };
    const all = await client.unwrap(
      client.GET("/provisioning/companies/{companyId}/accounting-folders", { params: { path } }),
    );
    expect(all.map((folder) => folder.Id)).toEqual([1001, 1002]);
    const found = await client.unwrap(
      client.GET("/provisioning/companies/{companyId}/accounting-folders/search", {
        params: { path, query: { search: "demo-1002" } },
      }),
    );
    expect(found.map((folder) => folder.Id)).toEqual([1002]);
    const { response } = await client.GET("/provisioning/companies/{companyId}/accounting-folders", {
      params: { path: { companyId: companyId + 1 } },
    });
    expect(response.status).toBe(404);
  });

  it("targets the documented accounting host, apart from the banking one", () => {
    const { username, password, clientId, clientSecret } = emulator.credentials;
    const client = createInqomAccountingClient({ username, password, clientId, clientSecret });
    expect(client.baseUrl).toBe("https://wa-fred-accounting-services-prod.azurewebsites.net");
  });

  it("books balanced entries, reads their lines and counts, and letters two lines (password grant)", async () => {
    const client = passwordAccounting();
    const dossierId = 1001;
    const path = { dossierId };
    const journals = await client.unwrap(client.GET("/v1/dossiers/{dossierId}/journals", { params: { path } }));
    const purchases = journals.find((j) => j.Type === "Buy");
    const bank = journals.find((j) => j.Type === "Bank");
    const supplier = await client.unwrap(
      client.POST("/v1/dossiers/{dossierId}/accounts", {
        params: { path },
        body: { AccountNumber: "401ACME", Name: "ACME" },
      }),
    );
    expect(supplier).toBe("4011ACME"); // Inqom maps the number into its chart
    const created = await client.unwrap(
      client.POST("/v1/dossiers/{dossierId}/entries", {
        params: { path },
        body: [
          {
            JournalId: purchases?.Id ?? 0,
            Date: "2025-03-01",
            ExternalId: "INV-1",
            Lines: [
              { Label: "Goods", DebitAmount: 100, CreditAmount: 0, Currency: "EUR", AccountNumber: "607" },
              { Label: "ACME", DebitAmount: 0, CreditAmount: 100, Currency: "EUR", AccountNumber: supplier },
            ],
          },
          {
            JournalId: bank?.Id ?? 0,
            Date: "2025-03-10",
            Lines: [
              { Label: "ACME", DebitAmount: 100, CreditAmount: 0, Currency: "EUR", AccountNumber: supplier },
              { Label: "Bank", DebitAmount: 0, CreditAmount: 100, Currency: "EUR", AccountNumber: "512" },
            ],
          },
        ],
      }),
    );
    expect(created.map((e) => e.Lines.length)).toEqual([2, 2]);
    const query = { startDate: "2025-01-01", endDate: "2025-12-31", accountNumber: supplier };
    const count = await client.unwrap(
      client.GET("/v1/dossiers/{dossierId}/entry-lines/count", { params: { path, query } }),
    );
    expect(count).toEqual({ TotalLinesCount: 2, TotalPagesCount: 1 });
    const page = await client.unwrap(
      client.GET("/v1/dossiers/{dossierId}/entry-lines", { params: { path, query: { ...query, pageNumber: 1 } } }),
    );
    const ids = page.EntryLines.map((line) => line.Id);
    const { CreatedLetterings } = await client.unwrap(
      client.POST("/v1/dossiers/{dossierId}/letterings", {
        params: { path },
        body: { CreateLetterringCommands: [{ EntryLineIds: ids }] },
      }),
    );
    expect(CreatedLetterings[0]?.EntryLineIds).toEqual(ids);
  });

  it("refuses unbalanced entries as a whole: an ApiError, nothing booked", async () => {
    const client = passwordAccounting();
    const path = { dossierId: 1001 };
    const { error, response } = await client.POST("/v1/dossiers/{dossierId}/entries", {
      params: { path },
      body: [
        {
          JournalId: 1,
          Date: "2025-03-01",
          Lines: [
            { Label: "a", DebitAmount: 10, CreditAmount: 0, Currency: "EUR", AccountNumber: "607" },
            { Label: "b", DebitAmount: 0, CreditAmount: 9, Currency: "EUR", AccountNumber: "401" },
          ],
        },
      ],
    });
    expect(response.status).toBe(400);
    expect(error).toMatchObject({ Code: "InvalidEntries" });
    const query = { startDate: "2025-01-01", endDate: "2025-12-31" };
    const count = await client.unwrap(
      client.GET("/v1/dossiers/{dossierId}/entry-lines/count", { params: { path, query } }),
    );
    expect(count.TotalLinesCount).toBe(0);
  });

  it("acts for an Inqom user too, sharing the user's tokens with a banking client on one cache", async () => {
    const tokenCache = createTokenCache();
    const banking = await loggedIn({ tokenCache });
    const { clientId, clientSecret } = emulator.credentials;
    const { baseUrl, authUrl } = sandboxUrls();
    const accounting = createInqomAccountingClient({
      clientId,
      clientSecret,
      user: "app-user-1",
      redirectUri: REDIRECT_URI,
      baseUrl,
      authUrl,
      tokenCache,
    });
    const periods = await accounting.unwrap(
      accounting.GET("/v1/dossiers/{dossierId}/accounting-periods", { params: { path: { dossierId: 1002 } } }),
    );
    expect(periods.map((p) => p.Name)).toEqual(["2024-12", "2025-12"]);
    await banking.createCfonbAccount(1001, { iban: IBAN, bankName: "Bank" });
    expect(stats().tokensIssued).toMatchObject({ code: 1, access: 1 });
    expect(typeof accounting.exchangeCode).toBe("function");
  });

  it("entryLines pages through every line, 100 a page, until a short page", async () => {
    const client = passwordAccounting();
    const path = { dossierId: 1002 };
    const entry = (n: number) => ({
      JournalId: 4,
      Date: "2025-06-01",
      Lines: [
        { Label: `e${n}`, DebitAmount: n, CreditAmount: 0, Currency: "EUR", AccountNumber: "607" },
        { Label: `e${n}`, DebitAmount: 0, CreditAmount: n, Currency: "EUR", AccountNumber: "401" },
      ],
    });
    for (const batch of [0, 50, 100]) {
      const size = batch === 100 ? 15 : 50;
      const body = Array.from({ length: size }, (_, i) => entry(batch + i + 1));
      await client.unwrap(client.POST("/v1/dossiers/{dossierId}/entries", { params: { path }, body }));
    }
    const before = stats().requests;
    const lines = await entryLines(client, 1002, { startDate: "2025-01-01", endDate: "2025-12-31" }).collect();
    expect(lines).toHaveLength(230);
    expect(new Set(lines.map((line) => line.Id)).size).toBe(230);
    expect(stats().requests - before).toBe(3); // 100 + 100 + 30
    const first = await entryLines(client, 1002, { startDate: "2025-01-01", endDate: "2025-12-31" }).collect(5);
    expect(first).toHaveLength(5);
  });

  it("reads the lines changed after an instant, and counts them", async () => {
    const client = passwordAccounting();
    const path = { dossierId: 1001 };
    const entry = (label: string) => [
      {
        JournalId: 4,
        Date: "2025-07-01",
        Lines: [
          { Label: label, DebitAmount: 1, CreditAmount: 0, Currency: "EUR", AccountNumber: "607" },
          { Label: label, DebitAmount: 0, CreditAmount: 1, Currency: "EUR", AccountNumber: "512" },
        ],
      },
    ];
    await client.unwrap(client.POST("/v1/dossiers/{dossierId}/entries", { params: { path }, body: entry("old") }));
    await new Promise((resolve) => setTimeout(resolve, 20));
    const since = new Date().toISOString();
    await new Promise((resolve) => setTimeout(resolve, 20));
    await client.unwrap(client.POST("/v1/dossiers/{dossierId}/entries", { params: { path }, body: entry("new") }));
    const query = { startDate: "2025-01-01", endDate: "2025-12-31" };
    const changes = await client.unwrap(
      client.GET("/v1/dossiers/{dossierId}/entry-lines/changes", {
        params: { path, query: { ...query, changedAfter: since } },
      }),
    );
    expect(changes.EntryLines.map((line) => line.Label)).toEqual(["NEW", "NEW"]);
    const count = await client.unwrap(
      client.GET("/v1/dossiers/{dossierId}/entry-lines/changes/count", {
        params: { path, query: { ...query, changesAfterDate: since } },
      }),
    );
    expect(count).toEqual({ TotalLinesCount: 2, TotalPagesCount: 1 });
  });
});

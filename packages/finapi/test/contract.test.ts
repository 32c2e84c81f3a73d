// The shapes finAPI Access V2 publishes (specs/finapi.yaml, read from its OpenAPI document) where the SDK, its spec
// and the sandbox used to differ: each test below failed against the client, spec or emulator before they were fixed.
import { ApiError, createTokenCache } from "@x/core";
import { json, startTestServer } from "@x/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createFinapiClient,
  describeFinapiError,
  isFinapiError,
  iterateTransactions,
  listAccounts,
} from "../src/index.js";
import { startFinapi, type FinapiSandbox } from "./helpers.js";

let env: FinapiSandbox;
beforeAll(async () => {
  env = await startFinapi({ transactionsPerUser: 45, userTokenTtlSeconds: 60 });
});
afterAll(() => env.close());

const demoUser = (overrides = {}) =>
  env.client(overrides).forUser({ userId: env.credentials.userId, password: env.credentials.userPassword });

/** A user token of the demo user, straight from the emulator. */
async function rawUserToken(): Promise<string> {
  const form = new URLSearchParams({
    grant_type: "password",
    client_id: env.credentials.clientId,
    client_secret: env.credentials.clientSecret,
    username: env.credentials.userId,
    password: env.credentials.userPassword,
  });
  const response = await fetch(`${env.url}/api/v2/oauth/token`, { method: "POST", body: form });
  return ((await response.json()) as { access_token: string }).access_token;
}

describe("transactions: `view` is required", () => {
  it("a transaction list without view is a 400; iterateTransactions sends bankView by default", async () => {
    const token = await rawUserToken();
    const bare = await fetch(`${env.url}/api/v2/transactions`, { headers: { authorization: `Bearer ${token}` } });
    expect(bare.status).toBe(400);
    expect(await bare.json()).toMatchObject({ errors: [{ code: "MISSING_FIELD" }] });
    const all = await iterateTransactions(demoUser(), { perPage: 20 }).collect();
    expect(all).toHaveLength(45);
  });

  it("a view given is sent as given", async () => {
    const views: Array<string | null> = [];
    const server: { url: string; close(): Promise<void> } = await startTestServer((req, res) => {
      if (req.path === "/api/v2/oauth/token") {
        return json(res, 200, { access_token: "t", token_type: "bearer", expires_in: 3600, scope: "all" });
      }
      views.push(new URL(req.url, server.url).searchParams.get("view"));
      json(res, 200, {
        transactions: [],
        paging: { page: 1, perPage: 500, pageCount: 0, totalCount: 0 },
        income: 0,
        spending: 0,
        balance: 0,
      });
    });
    try {
      const user = createFinapiClient({ clientId: "id", clientSecret: "s", accessUrl: server.url }).forUser({
        userId: "u",
        password: "p",
      });
      await iterateTransactions(user).collect();
      await iterateTransactions(user, { view: "userView" }).collect();
      expect(views).toEqual(["bankView", "userView"]);
    } finally {
      await server.close();
    }
  });
});

describe("accounts: one list, no paging", () => {
  it("GET /api/v2/accounts answers { accounts } without paging, and listAccounts returns them", async () => {
    const token = await rawUserToken();
    const response = await fetch(`${env.url}/api/v2/accounts`, { headers: { authorization: `Bearer ${token}` } });
    const body = (await response.json()) as Record<string, unknown>;
    expect(Object.keys(body)).toEqual(["accounts"]);
    expect((await listAccounts(demoUser())).map((a) => a.accountType)).toEqual(["Checking", "Savings"]);
  });

  it("an account type finAPI does not have (Pocket) is refused", async () => {
    const user = demoUser();
    const query = { accountTypes: ["Pocket"] } as unknown as { accountTypes: ["Checking"] };
    const error = await listAccounts(user, query).catch((e: unknown) => e);
    expect(isFinapiError(error, "INVALID_ACCOUNT_TYPES")).toBe(true);
  });
});

describe("revocation: POST /api/v2/oauth/revoke with form fields", () => {
  it("sends token and token_type_hint in a form body, never in the URL", async () => {
    const revokes: Array<{ path: string; query: string; type: string | undefined; form: Record<string, string> }> = [];
    const server = await startTestServer((req, res) => {
      if (req.path === "/api/v2/oauth/token") {
        const grant = new URLSearchParams(req.body).get("grant_type");
        const refresh = grant === "password" ? { refresh_token: "refresh-1" } : {};
        return json(res, 200, {
          access_token: `${grant}-1`,
          token_type: "bearer",
          expires_in: 3600,
          scope: "all",
          ...refresh,
        });
      }
      if (req.path.endsWith("/revoke")) {
        const type = req.headers["content-type"];
        const query = req.url.slice(req.path.length);
        revokes.push({ path: req.path, query, type, form: Object.fromEntries(new URLSearchParams(req.body)) });
        return json(res, 200, {});
      }
      json(res, 200, { id: "u", password: "XXXXX", isAutoUpdateEnabled: false });
    });
    try {
      const user = createFinapiClient({ clientId: "id", clientSecret: "s", accessUrl: server.url }).forUser({
        userId: "u",
        password: "p",
      });
      await user.unwrap(user.GET("/api/v2/users"));
      await user.revoke();
      expect(revokes).toEqual([
        {
          path: "/api/v2/oauth/revoke",
          query: "",
          type: "application/x-www-form-urlencoded",
          form: { token: "refresh-1", token_type_hint: "refresh_token" },
        },
        {
          path: "/api/v2/oauth/revoke",
          query: "",
          type: "application/x-www-form-urlencoded",
          form: { token: "password-1", token_type_hint: "access_token" },
        },
      ]);
    } finally {
      await server.close();
    }
  });
});

describe("refresh tokens: only from the password grant", () => {
  it("the refresh grant's answer has no refresh_token, and the one from the password grant is used again", async () => {
    let skewMs = 0;
    const tokenCache = createTokenCache({ now: () => Date.now() + skewMs });
    const user = demoUser({ tokenCache });
    const before = env.handle.stats().tokensIssued;
    await user.unwrap(user.GET("/api/v2/users"));
    skewMs = 59_000; // past the refresh margin of a 60 s token
    await user.unwrap(user.GET("/api/v2/users"));
    skewMs = 118_000; // and again: the second renewal still uses the password grant's refresh token
    await user.unwrap(user.GET("/api/v2/users"));
    const after = env.handle.stats().tokensIssued;
    expect((after.user_token ?? 0) - (before.user_token ?? 0)).toBe(1);
    expect((after.user_token_refreshed ?? 0) - (before.user_token_refreshed ?? 0)).toBe(2);
  });

  it("the emulator answers the refresh grant without a refresh token", async () => {
    const grant = (fields: Record<string, string>) =>
      fetch(`${env.url}/api/v2/oauth/token`, {
        method: "POST",
        body: new URLSearchParams({
          client_id: env.credentials.clientId,
          client_secret: env.credentials.clientSecret,
          ...fields,
        }),
      }).then((r) => r.json() as Promise<Record<string, unknown>>);
    const first = await grant({
      grant_type: "password",
      username: env.credentials.userId,
      password: env.credentials.userPassword,
    });
    expect(typeof first.refresh_token).toBe("string");
    const refreshed = await grant({ grant_type: "refresh_token", refresh_token: first.refresh_token as string });
    expect(refreshed.access_token).toEqual(expect.any(String));
    expect(refreshed).not.toHaveProperty("refresh_token");
  });
});

describe("error bodies", () => {
  it("a user endpoint's 401 is BadCredentialsError { error, error_description }: invalid_token", async () => {
    const response = await fetch(`${env.url}/api/v2/users`, { headers: { authorization: "Bearer not-a-token" } });
    expect(response.status).toBe(401);
    const body = await response.json();
    expect(body).toEqual({ error: "invalid_token", error_description: expect.any(String) });
    expect(describeFinapiError(body)?.code).toBe("invalid_token");
  });

  it("an ErrorMessage code finAPI adds later is kept as it came, with its requestId", async () => {
    const server = await startTestServer((req, res) => {
      if (req.path === "/api/v2/oauth/token") {
        return json(res, 200, { access_token: "t", token_type: "bearer", expires_in: 3600, scope: "all" });
      }
      json(res, 422, {
        errors: [{ message: "new rule", code: "A_CODE_FINAPI_ADDS_LATER", type: "BUSINESS" }],
        date: "2026-11-30T08:00:00.000+01:00",
        requestId: "req-1",
        endpoint: "POST /api/v2/users",
        authContext: "1/1",
        bank: null,
      });
    });
    try {
      const client = createFinapiClient({ clientId: "id", clientSecret: "s", accessUrl: server.url });
      const error = await client.createUser().catch((e: unknown) => e);
      expect(isFinapiError(error)).toBe(true);
      expect((error as { code?: string }).code).toBe("A_CODE_FINAPI_ADDS_LATER");
      expect((error as ApiError).status).toBe(422);
      expect((error as ApiError).message).toContain("new rule");
    } finally {
      await server.close();
    }
  });
});

describe("bank connections", () => {
  it("a bank connection has bank (an object), interfaces, owners, categorizationStatus; no bankId", async () => {
    const user = demoUser();
    const { connections } = await user.unwrap(user.GET("/api/v2/bankConnections"));
    expect(connections).toHaveLength(1);
    const [connection] = connections;
    expect(connection).not.toHaveProperty("bankId");
    expect(connection).toMatchObject({
      bank: { id: 280001, isTestBank: true },
      interfaces: [{ bankingInterface: "XS2A" }],
      owners: [],
      categorizationStatus: "READY",
      updateStatus: "READY",
    });
  });
});

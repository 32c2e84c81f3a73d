import { randomUUID } from "node:crypto";
import type { ServerResponse } from "node:http";
import { HttpError, createCounters, createRouter, json, type Emulator, type EmulatorRequest } from "../emulator.js";

export interface FinapiOptions {
  /** Lifetime of client tokens (client_credentials), in seconds. Default 3600, finAPI's default. */
  clientTokenTtlSeconds?: number;
  /** Lifetime of user access tokens (password, refresh_token, process exchange), in seconds. Default 3600. */
  userTokenTtlSeconds?: number;
  /** Lifetime of refresh tokens, in seconds. Default 86 400. */
  refreshTokenTtlSeconds?: number;
  /** Transactions every new user gets, spread over its two accounts. Default 45 (three pages of 20). */
  transactionsPerUser?: number;
}

export interface FinapiControl {
  /** Expires every access token (client and user) as if its lifetime had passed; refresh tokens stay valid. */
  expireAccessTokens(): void;
  /** Makes every refresh token invalid, so the next refresh_token grant is refused with 400. */
  revokeRefreshTokens(): void;
  /** Marks a user's bank connection as updating: deleting the user answers 423 LOCKED. */
  setUserBusy(userId: string, busy: boolean): void;
  /** Whether the user exists (created and not deleted). */
  hasUser(userId: string): boolean;
  /** Whether an access or refresh token is currently accepted. */
  isTokenValid(token: string): boolean;
}

const demoCredentials = {
  clientId: "finapi-demo-client",
  clientSecret: "finapi-demo-secret",
  userId: "demo-user",
  userPassword: "demo-password",
};

interface UserRecord {
  id: string;
  password: string;
  email: string | null;
  phone: string | null;
  isAutoUpdateEnabled: boolean;
  busy: boolean;
  connectionId: number;
  accounts: Account[];
  transactions: Transaction[];
}
interface Account {
  id: number;
  bankConnectionId: number;
  accountName: string;
  iban: string;
  accountNumber: string;
  accountHolderName: string;
  accountCurrency: string;
  accountType: "Checking" | "Savings";
  balance: number;
}
interface Transaction {
  id: number;
  accountId: number;
  amount: number;
  currency: string;
  purpose: string;
  counterpartName: string;
  counterpartIban: string | null;
  bankBookingDate: string;
  valueDate: string;
}
interface AccessGrant {
  /** "client" for client tokens, else the user id. */
  subject: { kind: "client" } | { kind: "user"; userId: string };
  expiresAt: number;
}
interface ProcessRecord {
  userId: string;
  exchanges: number;
  invalidated: boolean;
}

/** finAPI's limit on exchanges of one process token. */
const MAX_PROCESS_EXCHANGES = 10;
const USER_ID = /^[0-9A-Za-z\-_.+@]{1,36}$/;

/**
 * finAPI Access and Process Controller on one server (their paths do not overlap): client
 * tokens, users, password and refresh-token grants with rotation, revocation, process tokens
 * (at most 10 exchanges, none after invalidate=true), and bank data in pages, with finAPI's
 * error shapes and its `X-Request-Id` echo.
 */
export const finapi: Emulator<FinapiOptions, FinapiControl> = {
  name: "finapi",
  demoCredentials,
  create(options = {}) {
    const clientTtl = (options.clientTokenTtlSeconds ?? 3600) * 1000;
    const userTtl = (options.userTokenTtlSeconds ?? 3600) * 1000;
    const refreshTtl = (options.refreshTokenTtlSeconds ?? 86_400) * 1000;
    const transactionsPerUser = options.transactionsPerUser ?? 45;
    const stats = createCounters();
    const router = createRouter();
    let users = new Map<string, UserRecord>();
    let accessTokens = new Map<string, AccessGrant>();
    let refreshTokens = new Map<string, { userId: string; expiresAt: number }>();
    let processes = new Map<string, ProcessRecord>();
    let nextId = 1;

    const errorMessage = (req: EmulatorRequest, code: string, message: string, type: "BUSINESS" | "TECHNICAL" = "BUSINESS") => ({
      errors: [{ message, code, type, multiStepAuthentication: null }],
      date: new Date().toISOString().replace("T", " ").slice(0, 23),
      requestId: requestIdOf(req),
      endpoint: `${req.method} ${req.path}`,
      authContext: null,
      bank: null,
    });
    const fail = (req: EmulatorRequest, status: number, code: string, message: string): never => {
      throw new HttpError(status, errorMessage(req, code, message));
    };

    function createUserRecord(fields: { id: string; password: string; email?: string | null; phone?: string | null; isAutoUpdateEnabled?: boolean }): UserRecord {
      const connectionId = nextId++;
      const accounts: Account[] = (["Checking", "Savings"] as const).map((accountType, i) => ({
        id: nextId++,
        bankConnectionId: connectionId,
        accountName: accountType === "Checking" ? "Girokonto" : "Tagesgeld",
        iban: `DE8937040044053201300${i}`,
        accountNumber: `053201300${i}`,
        accountHolderName: fields.id,
        accountCurrency: "EUR",
        accountType,
        balance: 0,
      }));
      const transactions: Transaction[] = [];
      for (let i = 0; i < transactionsPerUser; i++) {
        const account = accounts[i % accounts.length] as Account;
        // Deterministic amounts: every third one is income, so direction filters have something to split.
        const amount = i % 3 === 0 ? 1250 + i : -(12.5 + i);
        const day = new Date(Date.UTC(2024, 0, 1 + i)).toISOString().slice(0, 10);
        account.balance = Math.round((account.balance + amount) * 100) / 100;
        transactions.push({
          id: nextId++,
          accountId: account.id,
          amount,
          currency: "EUR",
          purpose: amount > 0 ? `Gehalt ${i}` : `Einkauf ${i}`,
          counterpartName: amount > 0 ? "Arbeitgeber GmbH" : "Supermarkt AG",
          counterpartIban: amount > 0 ? "DE02120300000000202051" : null,
          bankBookingDate: day,
          valueDate: day,
        });
      }
      const user: UserRecord = {
        id: fields.id,
        password: fields.password,
        email: fields.email ?? null,
        phone: fields.phone ?? null,
        isAutoUpdateEnabled: fields.isAutoUpdateEnabled ?? false,
        busy: false,
        connectionId,
        accounts,
        transactions,
      };
      users.set(user.id, user);
      return user;
    }

    const seed = () => {
      createUserRecord({ id: demoCredentials.userId, password: demoCredentials.userPassword });
    };
    seed();

    function issueAccess(subject: AccessGrant["subject"], ttl: number): string {
      const token = randomUUID();
      accessTokens.set(token, { subject, expiresAt: Date.now() + ttl });
      return token;
    }

    function issueUserTokens(res: ServerResponse, userId: string, kind: string): void {
      const accessToken = issueAccess({ kind: "user", userId }, userTtl);
      const refreshToken = randomUUID();
      refreshTokens.set(refreshToken, { userId, expiresAt: Date.now() + refreshTtl });
      stats.tokenIssued(kind);
      json(res, 200, { access_token: accessToken, token_type: "bearer", refresh_token: refreshToken, expires_in: userTtl / 1000, scope: "all" });
    }

    /** The grant behind the request's bearer token, or finAPI's 401. */
    function authorize(req: EmulatorRequest, expected: "client" | "user"): AccessGrant {
      const token = /^Bearer (.+)$/i.exec(req.headers.authorization ?? "")?.[1];
      const grant = token === undefined ? undefined : accessTokens.get(token);
      if (!grant || grant.expiresAt <= Date.now()) {
        throw new HttpError(401, errorMessage(req, "INVALID_TOKEN", "Invalid or expired access token"), { "www-authenticate": 'Bearer error="invalid_token"' });
      }
      if (grant.subject.kind !== expected) {
        // finAPI answers a client token on a user endpoint (and the reverse) with 403.
        throw new HttpError(403, errorMessage(req, "BAD_REQUEST", `This service needs a ${expected} token`));
      }
      return grant;
    }
    const userOf = (req: EmulatorRequest): UserRecord => {
      const grant = authorize(req, "user");
      const user = grant.subject.kind === "user" ? users.get(grant.subject.userId) : undefined;
      if (!user) return fail(req, 401, "INVALID_TOKEN", "The user of this token no longer exists");
      return user;
    };

    const ids = (req: EmulatorRequest, name: string): number[] | undefined => {
      const values = req.url.searchParams.getAll(name).flatMap((v) => v.split(",")).filter(Boolean);
      return values.length ? values.map(Number) : undefined;
    };
    function paginate<T>(req: EmulatorRequest, items: T[]) {
      const page = Number(req.url.searchParams.get("page") ?? 1);
      const perPage = Number(req.url.searchParams.get("perPage") ?? 20);
      if (!Number.isInteger(page) || page < 1) fail(req, 400, "ILLEGAL_FIELD_VALUE", "page must be a positive integer");
      if (!Number.isInteger(perPage) || perPage < 1 || perPage > 500) fail(req, 400, "ILLEGAL_FIELD_VALUE", "perPage must be between 1 and 500");
      return {
        items: items.slice((page - 1) * perPage, page * perPage),
        paging: { page, perPage, pageCount: Math.max(1, Math.ceil(items.length / perPage)), totalCount: items.length },
      };
    }

    router.on("POST", "/api/v2/oauth/token", (req, res) => {
      const form = req.form();
      if (form.get("client_id") !== demoCredentials.clientId || form.get("client_secret") !== demoCredentials.clientSecret) {
        throw new HttpError(401, { error: "invalid_client", error_description: "Bad client credentials" });
      }
      const grantType = form.get("grant_type");
      if (grantType === "client_credentials") {
        stats.tokenIssued("client_token");
        return json(res, 200, { access_token: issueAccess({ kind: "client" }, clientTtl), token_type: "bearer", expires_in: clientTtl / 1000, scope: "all" });
      }
      if (grantType === "password") {
        const username = form.get("username");
        const password = form.get("password");
        if (!username || !password) return fail(req, 400, "MISSING_FIELD", "username and password are required for the password grant");
        const user = users.get(username);
        if (!user || user.password !== password) return fail(req, 400, "BAD_REQUEST", "Bad user credentials");
        return issueUserTokens(res, user.id, "user_token");
      }
      if (grantType === "refresh_token") {
        const token = form.get("refresh_token") ?? "";
        const entry = refreshTokens.get(token);
        if (!entry || entry.expiresAt <= Date.now() || !users.has(entry.userId)) return fail(req, 400, "BAD_REQUEST", "Invalid refresh token");
        // Rotation: a refresh token is good for one refresh.
        refreshTokens.delete(token);
        return issueUserTokens(res, entry.userId, "user_token_refreshed");
      }
      return fail(req, 400, "BAD_REQUEST", "Unsupported grant type");
    });

    router.on("POST", "/oauth/revoke", (req, res) => {
      authorize(req, "client");
      const token = req.url.searchParams.get("token");
      if (!token) return fail(req, 400, "MISSING_FIELD", "token is required");
      const hint = req.url.searchParams.get("token_type_hint");
      if (hint !== "refresh_token") accessTokens.delete(token);
      if (hint !== "access_token") refreshTokens.delete(token);
      json(res, 200, {});
    });

    router.on("POST", "/api/v2/users", (req, res) => {
      authorize(req, "client");
      const body = req.json<{ id?: unknown; password?: unknown; email?: unknown; phone?: unknown; isAutoUpdateEnabled?: unknown }>() ?? {};
      const id = body.id === undefined ? randomUUID() : body.id;
      const password = body.password === undefined ? randomUUID().slice(0, 16) : body.password;
      if (typeof id !== "string" || !USER_ID.test(id)) return fail(req, 400, "ILLEGAL_FIELD_VALUE", "id must be 1 to 36 characters of 0-9A-Za-z-_.+@");
      if (typeof password !== "string" || password.length < 6 || password.length > 128) return fail(req, 400, "ILLEGAL_FIELD_VALUE", "password must be 6 to 128 characters");
      if (users.has(id)) return fail(req, 422, "ENTITY_EXISTS", `A user with id ${id} already exists`);
      const user = createUserRecord({
        id,
        password,
        email: typeof body.email === "string" ? body.email : null,
        phone: typeof body.phone === "string" ? body.phone : null,
        isAutoUpdateEnabled: body.isAutoUpdateEnabled === true,
      });
      json(res, 201, { id: user.id, password: user.password, email: user.email, phone: user.phone, isAutoUpdateEnabled: user.isAutoUpdateEnabled });
    });

    router.on("GET", "/api/v2/users", (req, res) => {
      const user = userOf(req);
      json(res, 200, { id: user.id, password: "XXXXX", email: user.email, phone: user.phone, isAutoUpdateEnabled: user.isAutoUpdateEnabled });
    });

    router.on("DELETE", "/api/v2/users", (req, res) => {
      const user = userOf(req);
      if (user.busy) return fail(req, 423, "LOCKED", "A bank connection of the user is being updated; retry later");
      users.delete(user.id);
      for (const [token, grant] of accessTokens) if (grant.subject.kind === "user" && grant.subject.userId === user.id) accessTokens.delete(token);
      for (const [token, entry] of refreshTokens) if (entry.userId === user.id) refreshTokens.delete(token);
      res.writeHead(200, { "content-length": "0" });
      res.end();
    });

    router.on("GET", "/api/v2/bankConnections", (req, res) => {
      const user = userOf(req);
      const wanted = ids(req, "ids");
      const connections = [{ id: user.connectionId, bankId: 280001, name: "finAPI Test Bank", accountIds: user.accounts.map((a) => a.id), updateStatus: user.busy ? "IN_PROGRESS" : "READY" }];
      json(res, 200, { connections: connections.filter((c) => !wanted || wanted.includes(c.id)) });
    });

    router.on("GET", "/api/v2/accounts", (req, res) => {
      const user = userOf(req);
      const q = req.url.searchParams;
      const wanted = ids(req, "ids");
      const connections = ids(req, "bankConnectionIds");
      const types = q.getAll("accountTypes").flatMap((v) => v.split(",")).filter(Boolean);
      const search = q.get("search")?.toLowerCase();
      const matching = user.accounts.filter(
        (a) =>
          (!wanted || wanted.includes(a.id)) &&
          (!connections || connections.includes(a.bankConnectionId)) &&
          (types.length === 0 || types.includes(a.accountType)) &&
          (!search || [a.accountName, a.iban, a.accountNumber, a.accountHolderName].some((f) => f.toLowerCase().includes(search))),
      );
      const { items, paging } = paginate(req, matching);
      json(res, 200, { accounts: items, paging });
    });

    router.on("GET", "/api/v2/transactions", (req, res) => {
      const user = userOf(req);
      const q = req.url.searchParams;
      const accountIds = ids(req, "accountIds");
      const num = (name: string) => (q.has(name) ? Number(q.get(name)) : undefined);
      const minAmount = num("minAmount");
      const maxAmount = num("maxAmount");
      const minDate = q.get("minBankBookingDate");
      const maxDate = q.get("maxBankBookingDate");
      const direction = q.get("direction") ?? "all";
      const search = q.get("search")?.toLowerCase();
      if (!["all", "income", "spending"].includes(direction)) return fail(req, 400, "ILLEGAL_FIELD_VALUE", "direction must be all, income or spending");
      const matching = user.transactions
        .filter(
          (t) =>
            (!accountIds || accountIds.includes(t.accountId)) &&
            (minAmount === undefined || t.amount >= minAmount) &&
            (maxAmount === undefined || t.amount <= maxAmount) &&
            (!minDate || t.bankBookingDate >= minDate) &&
            (!maxDate || t.bankBookingDate <= maxDate) &&
            (direction === "all" || (direction === "income" ? t.amount > 0 : t.amount < 0)) &&
            (!search || `${t.purpose} ${t.counterpartName}`.toLowerCase().includes(search)),
        )
        // finAPI's default order: newest booking first, then id.
        .sort((a, b) => b.bankBookingDate.localeCompare(a.bankBookingDate) || b.id - a.id);
      const round = (n: number) => Math.round(n * 100) / 100;
      const income = round(matching.filter((t) => t.amount > 0).reduce((s, t) => s + t.amount, 0));
      const spending = round(matching.filter((t) => t.amount < 0).reduce((s, t) => s + t.amount, 0));
      const { items, paging } = paginate(req, matching);
      json(res, 200, { transactions: items, paging, income, spending, balance: round(income + spending) });
    });

    router.on("POST", "/api/v1/processes", (req, res) => {
      const body = req.json<{ clientId?: unknown; clientSecret?: unknown; clientReferences?: unknown; processId?: unknown }>() ?? {};
      if (body.clientId !== demoCredentials.clientId || body.clientSecret !== demoCredentials.clientSecret) {
        return fail(req, 401, "BAD_REQUEST", "Bad client credentials");
      }
      if (body.processId !== "USER_ONLY") return fail(req, 400, "ILLEGAL_FIELD_VALUE", "processId must be USER_ONLY");
      const references = Array.isArray(body.clientReferences) ? body.clientReferences : [];
      if (references.length === 0 || !references.every((r) => typeof (r as { clientReference?: unknown })?.clientReference === "string")) {
        return fail(req, 400, "MISSING_FIELD", "clientReferences needs at least one { clientReference }");
      }
      const created = references.map((r) => {
        const processToken = randomUUID();
        // Each process gets its own throwaway user, as the Process Controller does.
        const user = createUserRecord({ id: `process-${processToken.slice(0, 8)}`, password: randomUUID() });
        processes.set(processToken, { userId: user.id, exchanges: 0, invalidated: false });
        stats.tokenIssued("process_token");
        return { clientReference: (r as { clientReference: string }).clientReference, processToken };
      });
      json(res, 200, { processes: created });
    });

    router.on("GET", "/api/v1/processes/:processToken", (req, res) => {
      const process = processes.get(req.params.processToken ?? "");
      if (!process) return fail(req, 404, "UNKNOWN_ENTITY", "Unknown process token");
      if (process.invalidated || process.exchanges >= MAX_PROCESS_EXCHANGES) {
        return fail(req, 400, "ILLEGAL_ENTITY_STATE", "This process token can no longer be exchanged");
      }
      process.exchanges++;
      if (req.url.searchParams.get("invalidate") === "true") process.invalidated = true;
      stats.tokenIssued("process_user_token");
      json(res, 200, { accessToken: issueAccess({ kind: "user", userId: process.userId }, userTtl) });
    });

    return {
      async handle(req, res, ctx) {
        const given = req.headers["x-request-id"];
        if (typeof given === "string" && given.length > 255) {
          req.headers["x-request-id"] = randomUUID();
          res.setHeader("x-request-id", req.headers["x-request-id"]);
          return fail(req, 400, "ILLEGAL_FIELD_VALUE", "X-Request-Id must be at most 255 characters");
        }
        // finAPI echoes the caller's id or generates one; every answer carries it, errors (header and body) included.
        if (typeof given !== "string" || given === "") req.headers["x-request-id"] = randomUUID();
        res.setHeader("x-request-id", req.headers["x-request-id"] as string);
        await router.handle(req, res, ctx);
      },
      stats,
      control: {
        expireAccessTokens: () => {
          for (const grant of accessTokens.values()) grant.expiresAt = 0;
        },
        revokeRefreshTokens: () => refreshTokens.clear(),
        setUserBusy: (userId, busy) => {
          const user = users.get(userId);
          if (!user) throw new Error(`finapi sandbox: no user ${userId}`);
          user.busy = busy;
        },
        hasUser: (userId) => users.has(userId),
        isTokenValid: (token) => (accessTokens.get(token)?.expiresAt ?? 0) > Date.now() || (refreshTokens.get(token)?.expiresAt ?? 0) > Date.now(),
      },
      reset() {
        users = new Map();
        accessTokens = new Map();
        refreshTokens = new Map();
        processes = new Map();
        nextId = 1;
        seed();
      },
    };
  },
};

/** The request's id: the caller's, or the one `handle` generated for it. */
function requestIdOf(req: EmulatorRequest): string {
  return String(req.headers["x-request-id"]);
}

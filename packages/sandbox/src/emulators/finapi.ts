import { randomUUID } from "node:crypto";
import type { ServerResponse } from "node:http";
import { createCounters, failWith, json, oauthFail, routeTable, sameSecret } from "../emulator.js";
import type { Counters, Emulator, EmulatorRequest, RouteHandler, RouteTable } from "../emulator.js";

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

/** Lifetimes (ms) and data size, fixed by the options. */
interface Settings {
  clientTtl: number;
  userTtl: number;
  refreshTtl: number;
  transactionsPerUser: number;
}

/** What `reset()` starts again from. */
interface Data {
  users: Map<string, UserRecord>;
  accessTokens: Map<string, AccessGrant>;
  refreshTokens: Map<string, { userId: string; expiresAt: number }>;
  processes: Map<string, ProcessRecord>;
  nextId: number;
}

type State = Settings & Data & { stats: Counters };

/** finAPI's limit on exchanges of one process token. */
const MAX_PROCESS_EXCHANGES = 10;
const USER_ID = /^[0-9A-Za-z\-_.+@]{1,36}$/;

/** finAPI's ErrorMessage: the error list, the call it answers and its `X-Request-Id`. */
const fail = failWith((_status, req: EmulatorRequest, code: string, message: string) => ({
  errors: [{ message, code, type: "BUSINESS", multiStepAuthentication: null }],
  date: new Date().toISOString().replace("T", " ").slice(0, 23),
  requestId: String(req.headers["x-request-id"]),
  endpoint: `${req.method} ${req.path}`,
  authContext: null,
  bank: null,
}));

const emptyData = (): Data => ({
  users: new Map(),
  accessTokens: new Map(),
  refreshTokens: new Map(),
  processes: new Map(),
  nextId: 1,
});

interface NewUser {
  id: string;
  password: string;
  email?: string | null;
  phone?: string | null;
  isAutoUpdateEnabled?: boolean;
}

/** A user with one bank connection, a checking and a savings account, and `transactionsPerUser` transactions. */
function createUserRecord(state: State, fields: NewUser): UserRecord {
  const connectionId = state.nextId++;
  const accounts: Account[] = (["Checking", "Savings"] as const).map((accountType, i) => ({
    id: state.nextId++,
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
  for (let i = 0; i < state.transactionsPerUser; i++) {
    const account = accounts[i % accounts.length] as Account;
    // Deterministic amounts: every third one is income, so direction filters have something to split.
    const amount = i % 3 === 0 ? 1250 + i : -(12.5 + i);
    const day = new Date(Date.UTC(2024, 0, 1 + i)).toISOString().slice(0, 10);
    account.balance = Math.round((account.balance + amount) * 100) / 100;
    transactions.push({
      id: state.nextId++,
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
  state.users.set(user.id, user);
  return user;
}

/** The demo user, as at start and after `reset()`. */
const seed = (state: State) =>
  createUserRecord(state, { id: demoCredentials.userId, password: demoCredentials.userPassword });

function issueAccess(state: State, subject: AccessGrant["subject"], ttl: number): string {
  const token = randomUUID();
  state.accessTokens.set(token, { subject, expiresAt: Date.now() + ttl });
  return token;
}

function issueUserTokens(state: State, res: ServerResponse, userId: string, kind: string): void {
  const accessToken = issueAccess(state, { kind: "user", userId }, state.userTtl);
  const refreshToken = randomUUID();
  state.refreshTokens.set(refreshToken, { userId, expiresAt: Date.now() + state.refreshTtl });
  state.stats.tokenIssued(kind);
  json(res, 200, {
    access_token: accessToken,
    token_type: "bearer",
    refresh_token: refreshToken,
    expires_in: state.userTtl / 1000,
    scope: "all",
  });
}

/** The grant behind the request's bearer token, or finAPI's 401. */
function authorize(state: State, req: EmulatorRequest, expected: "client" | "user"): AccessGrant {
  const token = /^Bearer (.+)$/i.exec(req.headers.authorization ?? "")?.[1];
  const grant = token === undefined ? undefined : state.accessTokens.get(token);
  if (!grant || grant.expiresAt <= Date.now()) {
    const error = fail(401, req, "INVALID_TOKEN", "Invalid or expired access token");
    throw error.withHeaders({ "www-authenticate": 'Bearer error="invalid_token"' });
  }
  // finAPI answers a client token on a user endpoint (and the reverse) with 403.
  if (grant.subject.kind !== expected) throw fail(403, req, "BAD_REQUEST", `This service needs a ${expected} token`);
  return grant;
}

function userOf(state: State, req: EmulatorRequest): UserRecord {
  const grant = authorize(state, req, "user");
  const user = grant.subject.kind === "user" ? state.users.get(grant.subject.userId) : undefined;
  if (!user) throw fail(401, req, "INVALID_TOKEN", "The user of this token no longer exists");
  return user;
}

/** A list query parameter, repeated or comma-separated. */
function ids(req: EmulatorRequest, name: string): number[] | undefined {
  const values = req.url.searchParams
    .getAll(name)
    .flatMap((v) => v.split(","))
    .filter(Boolean);
  return values.length ? values.map(Number) : undefined;
}

function paginate<T>(req: EmulatorRequest, items: T[]) {
  const page = Number(req.url.searchParams.get("page") ?? 1);
  const perPage = Number(req.url.searchParams.get("perPage") ?? 20);
  if (!Number.isInteger(page) || page < 1) {
    throw fail(400, req, "ILLEGAL_FIELD_VALUE", "page must be a positive integer");
  }
  if (!Number.isInteger(perPage) || perPage < 1 || perPage > 500) {
    throw fail(400, req, "ILLEGAL_FIELD_VALUE", "perPage must be between 1 and 500");
  }
  return {
    items: items.slice((page - 1) * perPage, page * perPage),
    paging: { page, perPage, pageCount: Math.max(1, Math.ceil(items.length / perPage)), totalCount: items.length },
  };
}

const publicUser = (user: UserRecord, password: string) => ({
  id: user.id,
  password,
  email: user.email,
  phone: user.phone,
  isAutoUpdateEnabled: user.isAutoUpdateEnabled,
});

const routes: RouteTable<State> = {
  "POST /api/v2/oauth/token": (state, req, res) => {
    const form = req.form();
    const idOk = sameSecret(form.get("client_id"), demoCredentials.clientId);
    const secretOk = sameSecret(form.get("client_secret"), demoCredentials.clientSecret);
    if (!idOk || !secretOk) throw oauthFail(401, "invalid_client", "Bad client credentials");
    const grantType = form.get("grant_type");
    if (grantType === "client_credentials") {
      state.stats.tokenIssued("client_token");
      const token = issueAccess(state, { kind: "client" }, state.clientTtl);
      const expiresIn = state.clientTtl / 1000;
      return json(res, 200, { access_token: token, token_type: "bearer", expires_in: expiresIn, scope: "all" });
    }
    if (grantType === "password") {
      const username = form.get("username");
      const password = form.get("password");
      if (!username || !password) {
        throw fail(400, req, "MISSING_FIELD", "username and password are required for the password grant");
      }
      const user = state.users.get(username);
      if (!user || !sameSecret(password, user.password)) throw fail(400, req, "BAD_REQUEST", "Bad user credentials");
      return issueUserTokens(state, res, user.id, "user_token");
    }
    if (grantType === "refresh_token") {
      const token = form.get("refresh_token") ?? "";
      const entry = state.refreshTokens.get(token);
      if (!entry || entry.expiresAt <= Date.now() || !state.users.has(entry.userId)) {
        throw fail(400, req, "BAD_REQUEST", "Invalid refresh token");
      }
      // Rotation: a refresh token is good for one refresh.
      state.refreshTokens.delete(token);
      return issueUserTokens(state, res, entry.userId, "user_token_refreshed");
    }
    throw fail(400, req, "BAD_REQUEST", "Unsupported grant type");
  },

  "POST /oauth/revoke": (state, req, res) => {
    authorize(state, req, "client");
    const token = req.url.searchParams.get("token");
    if (!token) throw fail(400, req, "MISSING_FIELD", "token is required");
    const hint = req.url.searchParams.get("token_type_hint");
    if (hint !== "refresh_token") state.accessTokens.delete(token);
    if (hint !== "access_token") state.refreshTokens.delete(token);
    json(res, 200, {});
  },

  "POST /api/v2/users": (state, req, res) => {
    authorize(state, req, "client");
    type Body = { id?: unknown; password?: unknown; email?: unknown; phone?: unknown; isAutoUpdateEnabled?: unknown };
    const body = req.json<Body>() ?? {};
    const id = body.id === undefined ? randomUUID() : body.id;
    const password = body.password === undefined ? randomUUID().slice(0, 16) : body.password;
    if (typeof id !== "string" || !USER_ID.test(id)) {
      throw fail(400, req, "ILLEGAL_FIELD_VALUE", "id must be 1 to 36 characters of 0-9A-Za-z-_.+@");
    }
    if (typeof password !== "string" || password.length < 6 || password.length > 128) {
      throw fail(400, req, "ILLEGAL_FIELD_VALUE", "password must be 6 to 128 characters");
    }
    if (state.users.has(id)) throw fail(422, req, "ENTITY_EXISTS", `A user with id ${id} already exists`);
    const user = createUserRecord(state, {
      id,
      password,
      email: typeof body.email === "string" ? body.email : null,
      phone: typeof body.phone === "string" ? body.phone : null,
      isAutoUpdateEnabled: body.isAutoUpdateEnabled === true,
    });
    json(res, 201, publicUser(user, user.password));
  },

  "GET /api/v2/users": (state, req, res) => json(res, 200, publicUser(userOf(state, req), "XXXXX")),

  "DELETE /api/v2/users": (state, req, res) => {
    const user = userOf(state, req);
    if (user.busy) throw fail(423, req, "LOCKED", "A bank connection of the user is being updated; retry later");
    state.users.delete(user.id);
    for (const [token, grant] of state.accessTokens) {
      if (grant.subject.kind === "user" && grant.subject.userId === user.id) state.accessTokens.delete(token);
    }
    for (const [token, entry] of state.refreshTokens) if (entry.userId === user.id) state.refreshTokens.delete(token);
    res.writeHead(200, { "content-length": "0" });
    res.end();
  },

  "GET /api/v2/bankConnections": (state, req, res) => {
    const user = userOf(state, req);
    const wanted = ids(req, "ids");
    const connection = {
      id: user.connectionId,
      bankId: 280001,
      name: "finAPI Test Bank",
      accountIds: user.accounts.map((a) => a.id),
      updateStatus: user.busy ? "IN_PROGRESS" : "READY",
    };
    json(res, 200, { connections: [connection].filter((c) => !wanted || wanted.includes(c.id)) });
  },

  "GET /api/v2/accounts": (state, req, res) => {
    const user = userOf(state, req);
    const q = req.url.searchParams;
    const wanted = ids(req, "ids");
    const connections = ids(req, "bankConnectionIds");
    const types = q
      .getAll("accountTypes")
      .flatMap((v) => v.split(","))
      .filter(Boolean);
    const search = q.get("search")?.toLowerCase();
    const found = (a: Account) =>
      !search ||
      [a.accountName, a.iban, a.accountNumber, a.accountHolderName].some((f) => f.toLowerCase().includes(search));
    const matching = user.accounts.filter(
      (a) =>
        (!wanted || wanted.includes(a.id)) &&
        (!connections || connections.includes(a.bankConnectionId)) &&
        (types.length === 0 || types.includes(a.accountType)) &&
        found(a),
    );
    const { items, paging } = paginate(req, matching);
    json(res, 200, { accounts: items, paging });
  },

  "GET /api/v2/transactions": (state, req, res) => {
    const user = userOf(state, req);
    const q = req.url.searchParams;
    const accountIds = ids(req, "accountIds");
    const num = (name: string) => (q.has(name) ? Number(q.get(name)) : undefined);
    const minAmount = num("minAmount");
    const maxAmount = num("maxAmount");
    const minDate = q.get("minBankBookingDate");
    const maxDate = q.get("maxBankBookingDate");
    const direction = q.get("direction") ?? "all";
    const search = q.get("search")?.toLowerCase();
    if (!["all", "income", "spending"].includes(direction)) {
      throw fail(400, req, "ILLEGAL_FIELD_VALUE", "direction must be all, income or spending");
    }
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
  },

  "POST /api/v1/processes": (state, req, res) => {
    type Body = { clientId?: unknown; clientSecret?: unknown; clientReferences?: unknown; processId?: unknown };
    const body = req.json<Body>() ?? {};
    const idOk = sameSecret(body.clientId, demoCredentials.clientId);
    const secretOk = sameSecret(body.clientSecret, demoCredentials.clientSecret);
    if (!idOk || !secretOk) throw fail(401, req, "BAD_REQUEST", "Bad client credentials");
    if (body.processId !== "USER_ONLY") throw fail(400, req, "ILLEGAL_FIELD_VALUE", "processId must be USER_ONLY");
    const references = Array.isArray(body.clientReferences) ? body.clientReferences : [];
    const referenced = (r: unknown) => typeof (r as { clientReference?: unknown } | null)?.clientReference === "string";
    if (references.length === 0 || !references.every(referenced)) {
      throw fail(400, req, "MISSING_FIELD", "clientReferences needs at least one { clientReference }");
    }
    const created = references.map((r) => {
      const processToken = randomUUID();
      // Each process gets its own throwaway user, as the Process Controller does.
      const user = createUserRecord(state, { id: `process-${processToken.slice(0, 8)}`, password: randomUUID() });
      state.processes.set(processToken, { userId: user.id, exchanges: 0, invalidated: false });
      state.stats.tokenIssued("process_token");
      return { clientReference: (r as { clientReference: string }).clientReference, processToken };
    });
    json(res, 200, { processes: created });
  },

  "GET /api/v1/processes/:processToken": (state, req, res) => {
    const process = state.processes.get(req.params.processToken ?? "");
    if (!process) throw fail(404, req, "UNKNOWN_ENTITY", "Unknown process token");
    if (process.invalidated || process.exchanges >= MAX_PROCESS_EXCHANGES) {
      throw fail(400, req, "ILLEGAL_ENTITY_STATE", "This process token can no longer be exchanged");
    }
    process.exchanges++;
    if (req.url.searchParams.get("invalidate") === "true") process.invalidated = true;
    state.stats.tokenIssued("process_user_token");
    json(res, 200, { accessToken: issueAccess(state, { kind: "user", userId: process.userId }, state.userTtl) });
  },
};

/**
 * finAPI echoes the caller's `X-Request-Id` or generates one; every answer carries it, errors (header and body)
 * included, so the id is settled here before any route runs.
 */
function withRequestId(route: RouteHandler): RouteHandler {
  return async (req, res, ctx) => {
    const given = req.headers["x-request-id"];
    if (typeof given === "string" && given.length > 255) {
      req.headers["x-request-id"] = randomUUID();
      res.setHeader("x-request-id", req.headers["x-request-id"]);
      throw fail(400, req, "ILLEGAL_FIELD_VALUE", "X-Request-Id must be at most 255 characters");
    }
    if (typeof given !== "string" || given === "") req.headers["x-request-id"] = randomUUID();
    res.setHeader("x-request-id", req.headers["x-request-id"] as string);
    await route(req, res, ctx);
  };
}

/**
 * finAPI Access and Process Controller on one server (their paths do not overlap): client
 * tokens, users, password and refresh-token grants with rotation, revocation, process tokens
 * (at most 10 exchanges, none after invalidate=true), and bank data in pages, with finAPI's
 * error shapes and its `X-Request-Id` echo.
 */
export const finapi: Emulator<FinapiOptions, FinapiControl, typeof demoCredentials> = {
  name: "finapi",
  demoCredentials,
  create(options = {}) {
    const state: State = {
      clientTtl: (options.clientTokenTtlSeconds ?? 3600) * 1000,
      userTtl: (options.userTokenTtlSeconds ?? 3600) * 1000,
      refreshTtl: (options.refreshTokenTtlSeconds ?? 86_400) * 1000,
      transactionsPerUser: options.transactionsPerUser ?? 45,
      stats: createCounters(),
      ...emptyData(),
    };
    seed(state);
    return {
      handle: withRequestId(routeTable(routes, state)),
      stats: state.stats,
      control: {
        expireAccessTokens: () => {
          for (const grant of state.accessTokens.values()) grant.expiresAt = 0;
        },
        revokeRefreshTokens: () => state.refreshTokens.clear(),
        setUserBusy: (userId, busy) => {
          const user = state.users.get(userId);
          if (!user) throw new Error(`finapi sandbox: no user ${userId}`);
          user.busy = busy;
        },
        hasUser: (userId) => state.users.has(userId),
        isTokenValid: (token) => {
          const live = (expiresAt = 0) => expiresAt > Date.now();
          return live(state.accessTokens.get(token)?.expiresAt) || live(state.refreshTokens.get(token)?.expiresAt);
        },
      },
      reset() {
        Object.assign(state, emptyData());
        seed(state);
      },
    };
  },
};

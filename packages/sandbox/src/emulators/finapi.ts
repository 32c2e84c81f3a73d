import { randomUUID } from "node:crypto";
import type { ServerResponse } from "node:http";
import { createCounters, failWith, json, oauthFail, routeTable, sameSecret } from "../emulator.js";
import type { Counters, Emulator, EmulatorRequest, RouteHandler, RouteTable } from "../emulator.js";
import {
  accountView,
  bankConnectionView,
  createConnection,
  idsParam,
  listParam,
  transactionView,
  type ConnectionRecord,
  type TransactionRecord,
} from "./finapi-bank.js";
import { webFormFail, webFormRoutes, type TaskRecord, type WebFormRecord } from "./finapi-webform.js";

export interface FinapiOptions {
  /** Lifetime of client tokens (client_credentials), in seconds. Default 3600, finAPI's default. */
  clientTokenTtlSeconds?: number;
  /** Lifetime of user access tokens (password, refresh_token, process exchange), in seconds. Default 3600. */
  userTokenTtlSeconds?: number;
  /** Lifetime of refresh tokens, in seconds. Default 86 400. */
  refreshTokenTtlSeconds?: number;
  /**
   * Transactions of each bank connection (the demo user's, and each one a web form imports), spread over its two
   * accounts. Default 45 (three pages of 20).
   */
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
  /**
   * While on, `POST /api/v2/bankConnections/update` answers 510 with a TAN challenge until it is sent again with
   * `multiStepAuthentication: { hash, challengeResponse }`.
   */
  requireMultiStepAuthentication(on: boolean): void;
  /** While on, a background update task ends in WEB_FORM_REQUIRED with a web form for the user. */
  requireWebFormOnUpdate(on: boolean): void;
}

const demoCredentials = {
  clientId: "finapi-demo-client",
  clientSecret: "finapi-demo-secret",
  userId: "demo-user",
  userPassword: "demo-password",
};

/** A finAPI user of the emulator and its bank data. */
export interface FinapiUser {
  id: string;
  password: string;
  email: string | null;
  phone: string | null;
  isAutoUpdateEnabled: boolean;
  busy: boolean;
  connections: ConnectionRecord[];
  transactions: TransactionRecord[];
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
  users: Map<string, FinapiUser>;
  accessTokens: Map<string, AccessGrant>;
  refreshTokens: Map<string, { userId: string; expiresAt: number }>;
  processes: Map<string, ProcessRecord>;
  webForms: Map<string, WebFormRecord>;
  tasks: Map<string, TaskRecord>;
  /** Challenges of 510 answers not yet answered, by hash. */
  challenges: Set<string>;
  multiStepAuthentication: boolean;
  webFormOnUpdate: boolean;
  nextId: number;
}

export type FinapiState = Settings & Data & { stats: Counters };
type State = FinapiState;

/** finAPI's limit on exchanges of one process token. */
const MAX_PROCESS_EXCHANGES = 10;
const USER_ID = /^[0-9A-Za-z\-_.+@]{1,36}$/;

/** finAPI's ErrorMessage: the error list, the call it answers and its `X-Request-Id`. */
const fail = failWith(
  (_status, req: EmulatorRequest, code: string, message: string, multiStepAuthentication: unknown = null) => ({
    errors: [{ message, code, type: "BUSINESS", multiStepAuthentication }],
    date: new Date().toISOString(),
    requestId: String(req.headers["x-request-id"]),
    endpoint: `${req.method} ${req.path}`,
    authContext: "1/1",
    bank: null,
  }),
);

const emptyData = (): Data => ({
  users: new Map(),
  accessTokens: new Map(),
  refreshTokens: new Map(),
  processes: new Map(),
  webForms: new Map(),
  tasks: new Map(),
  challenges: new Set(),
  multiStepAuthentication: false,
  webFormOnUpdate: false,
  nextId: 1,
});

interface NewUser {
  id: string;
  password: string;
  email?: string | null;
  phone?: string | null;
  isAutoUpdateEnabled?: boolean;
}

/** A user; it has no bank connection until one is imported through a web form. */
function createUserRecord(state: State, fields: NewUser): FinapiUser {
  const user: FinapiUser = {
    id: fields.id,
    password: fields.password,
    email: fields.email ?? null,
    phone: fields.phone ?? null,
    isAutoUpdateEnabled: fields.isAutoUpdateEnabled ?? false,
    busy: false,
    connections: [],
    transactions: [],
  };
  state.users.set(user.id, user);
  return user;
}

/** A bank connection for `user`, as a completed web form import leaves it; returns its id. */
function importConnection(state: State, user: FinapiUser, name: string | null = null): number {
  const connection = createConnection(() => state.nextId++, user.id, state.transactionsPerUser, user.transactions);
  connection.name = name;
  user.connections.push(connection);
  return connection.id;
}

/** The demo user with one bank connection, as at start and after `reset()`. */
const seed = (state: State) =>
  importConnection(
    state,
    createUserRecord(state, { id: demoCredentials.userId, password: demoCredentials.userPassword }),
  );

function issueAccess(state: State, subject: AccessGrant["subject"], ttl: number): string {
  const token = randomUUID();
  state.accessTokens.set(token, { subject, expiresAt: Date.now() + ttl });
  return token;
}

/** A user token; a refresh token only for the password grant (finAPI's refresh answer has none). */
function issueUserTokens(state: State, res: ServerResponse, userId: string, grant: "password" | "refresh"): void {
  const accessToken = issueAccess(state, { kind: "user", userId }, state.userTtl);
  const body: Record<string, unknown> = {
    access_token: accessToken,
    token_type: "bearer",
    expires_in: state.userTtl / 1000,
    scope: "all",
  };
  if (grant === "password") {
    body.refresh_token = randomUUID();
    state.refreshTokens.set(body.refresh_token as string, { userId, expiresAt: Date.now() + state.refreshTtl });
  }
  state.stats.tokenIssued(grant === "password" ? "user_token" : "user_token_refreshed");
  json(res, 200, body);
}

/**
 * The grant behind the request's bearer token, or finAPI's 401: Access answers it as `BadCredentialsError`
 * (`{ error, error_description }`), Web Form 2.0 as its `Error`. finAPI quotes the token, masked; so does this.
 */
function authorize(state: State, req: EmulatorRequest, expected: "client" | "user", api = "access"): AccessGrant {
  const token = /^Bearer (.+)$/i.exec(req.headers.authorization ?? "")?.[1];
  const grant = token === undefined ? undefined : state.accessTokens.get(token);
  if (!grant || grant.expiresAt <= Date.now()) {
    const masked = `${(token ?? "").slice(0, 8)}-xxxx`;
    const error =
      api === "webform"
        ? webFormFail(401, req, "UNAUTHORIZED", "Invalid or expired access token")
        : oauthFail(401, "invalid_token", `Invalid access token: ${masked}`);
    throw error.withHeaders({ "www-authenticate": 'Bearer error="invalid_token"' });
  }
  // finAPI answers a client token on a user endpoint (and the reverse) with 403.
  if (grant.subject.kind !== expected) throw fail(403, req, "BAD_REQUEST", `This service needs a ${expected} token`);
  return grant;
}

function userOf(state: State, req: EmulatorRequest, api = "access"): FinapiUser {
  const grant = authorize(state, req, "user", api);
  const user = grant.subject.kind === "user" ? state.users.get(grant.subject.userId) : undefined;
  if (!user) throw oauthFail(401, "invalid_token", "The user of this token no longer exists");
  return user;
}

/** The user's transaction (or part of a split one) named by the path's id; finAPI's 404 otherwise. */
function transactionOf(user: FinapiUser, req: EmulatorRequest): TransactionRecord {
  const id = Number(req.params.id);
  const transaction = user.transactions.flatMap((t) => [t, ...(t.children ?? [])]).find((t) => t.id === id);
  if (!transaction) throw fail(404, req, "UNKNOWN_ENTITY", `No transaction ${req.params.id}`);
  return transaction;
}

const ACCOUNT_TYPES = ["Checking", "Savings", "CreditCard", "Security", "Loan", "Membership", "Bausparen"];

function paginate<T>(req: EmulatorRequest, items: T[]) {
  const page = Number(req.url.searchParams.get("page") ?? 1);
  const perPage = Number(req.url.searchParams.get("perPage") ?? 20);
  if (!Number.isInteger(page) || page < 1) {
    throw fail(400, req, "BAD_REQUEST", "page must be a positive integer");
  }
  if (!Number.isInteger(perPage) || perPage < 1 || perPage > 500) {
    throw fail(400, req, "ILLEGAL_PAGE_SIZE", "perPage must be between 1 and 500");
  }
  return {
    items: items.slice((page - 1) * perPage, page * perPage),
    paging: { page, perPage, pageCount: Math.max(1, Math.ceil(items.length / perPage)), totalCount: items.length },
  };
}

const publicUser = (user: FinapiUser, password: string) => ({
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
      return issueUserTokens(state, res, user.id, "password");
    }
    if (grantType === "refresh_token") {
      const token = form.get("refresh_token") ?? "";
      const entry = state.refreshTokens.get(token);
      if (!entry || entry.expiresAt <= Date.now() || !state.users.has(entry.userId)) {
        throw fail(400, req, "BAD_REQUEST", "Invalid refresh token");
      }
      // No rotation: finAPI's refresh token stays valid until it expires or is revoked.
      return issueUserTokens(state, res, entry.userId, "refresh");
    }
    throw fail(400, req, "BAD_REQUEST", "Unsupported grant type");
  },

  // Access V2: the token and its type as form fields, with the client token.
  "POST /api/v2/oauth/revoke": (state, req, res) => {
    authorize(state, req, "client");
    const form = req.form();
    const token = form.get("token");
    if (!token) throw fail(400, req, "MISSING_FIELD", "token is required");
    const hint = form.get("token_type_hint");
    if (hint !== "refresh_token") state.accessTokens.delete(token);
    if (hint !== "access_token") state.refreshTokens.delete(token);
    // Published: 200 without a body.
    res.writeHead(200, { "content-length": "0" });
    res.end();
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
    const wanted = idsParam(req, "ids");
    const connections = user.connections.filter((c) => !wanted || wanted.includes(c.id));
    json(res, 200, { connections: connections.map((c) => bankConnectionView(c, user.busy)) });
  },

  "GET /api/v2/bankConnections/:id": (state, req, res) => {
    const user = userOf(state, req);
    const connection = user.connections.find((c) => c.id === Number(req.params.id));
    if (!connection) throw fail(404, req, "UNKNOWN_ENTITY", `No bank connection ${req.params.id}`);
    json(res, 200, bankConnectionView(connection, user.busy));
  },

  // With a bank that wants the user (requireMultiStepAuthentication): 510 and a TAN challenge, then the update.
  "POST /api/v2/bankConnections/update": (state, req, res) => {
    const user = userOf(state, req);
    type Body = {
      bankConnectionId?: unknown;
      multiStepAuthentication?: { hash?: unknown; challengeResponse?: unknown };
    };
    const body = req.json<Body | null>() ?? {};
    const connection = user.connections.find((c) => c.id === body.bankConnectionId);
    if (!connection) throw fail(404, req, "UNKNOWN_ENTITY", `No bank connection ${String(body.bankConnectionId)}`);
    if (user.busy) throw fail(423, req, "LOCKED", "The bank connection is being updated; retry later");
    const answer = body.multiStepAuthentication;
    const answered = typeof answer?.hash === "string" && state.challenges.delete(answer.hash);
    if (state.multiStepAuthentication && !(answered && typeof answer?.challengeResponse === "string")) {
      const hash = randomUUID().replace(/-/g, "");
      state.challenges.add(hash);
      const message = "Additional authentication required: enter the TAN 123456.";
      throw fail(510, req, "ADDITIONAL_AUTHENTICATION_REQUIRED", message, {
        hash,
        status: "CHALLENGE_RESPONSE_REQUIRED",
        challengeMessage: message,
        answerFieldLabel: "TAN",
        redirectUrl: null,
        redirectContext: null,
        redirectContextField: null,
        twoStepProcedures: null,
        photoTanMimeType: null,
        photoTanData: null,
        opticalData: null,
        opticalDataAsReinerSct: false,
      });
    }
    connection.updatedAt = new Date().toISOString();
    json(res, 200, bankConnectionView(connection, false));
  },

  // Access V2 answers every matching account at once: `{ accounts }`, no paging.
  "GET /api/v2/accounts": (state, req, res) => {
    const user = userOf(state, req);
    const q = req.url.searchParams;
    const wanted = idsParam(req, "ids");
    const connections = idsParam(req, "bankConnectionIds");
    const types = listParam(req, "accountTypes") ?? [];
    const unknown = types.find((t) => !ACCOUNT_TYPES.includes(t));
    if (unknown) throw fail(400, req, "INVALID_ACCOUNT_TYPES", `accountTypes: unknown account type ${unknown}`);
    const search = q.get("search")?.toLowerCase();
    const accounts = user.connections.flatMap((c) => c.accounts.map((a) => ({ a, updatedAt: c.updatedAt })));
    const matching = accounts.filter(
      ({ a }) =>
        (!wanted || wanted.includes(a.id)) &&
        (!connections || connections.includes(a.bankConnectionId)) &&
        (types.length === 0 || types.includes(a.accountType)) &&
        (!search ||
          [a.accountName, a.iban, a.accountNumber, a.accountHolderName].some((f) => f.toLowerCase().includes(search))),
    );
    json(res, 200, { accounts: matching.map(({ a, updatedAt }) => accountView(a, updatedAt)) });
  },

  "GET /api/v2/transactions": (state, req, res) => {
    const user = userOf(state, req);
    const q = req.url.searchParams;
    // Required by finAPI: the bank's transactions as delivered, or the user's (split ones as their parts).
    const view = q.get("view");
    if (view === null) throw fail(400, req, "MISSING_FIELD", "Required parameter 'view' is not present");
    if (view !== "bankView" && view !== "userView") {
      throw fail(400, req, "BAD_REQUEST", "view must be bankView or userView");
    }
    const accountIds = idsParam(req, "accountIds");
    const num = (name: string) => (q.has(name) ? Number(q.get(name)) : undefined);
    const minAmount = num("minAmount");
    const maxAmount = num("maxAmount");
    const minDate = q.get("minBankBookingDate");
    const maxDate = q.get("maxBankBookingDate");
    const direction = q.get("direction") ?? "all";
    const search = q.get("search")?.toLowerCase();
    if (!["all", "income", "spending"].includes(direction)) {
      throw fail(400, req, "BAD_REQUEST", "direction must be all, income or spending");
    }
    // userView: a split transaction as its parts (bankView: as the bank delivered it).
    const viewed = view === "userView" ? user.transactions.flatMap((t) => t.children ?? [t]) : user.transactions;
    const matching = viewed
      .filter(
        (t) =>
          (!accountIds || accountIds.includes(t.accountId)) &&
          (minAmount === undefined || t.amount >= minAmount) &&
          (maxAmount === undefined || t.amount <= maxAmount) &&
          (!minDate || t.bankBookingDate >= minDate) &&
          (!maxDate || t.bankBookingDate <= maxDate) &&
          (direction === "all" || (direction === "income" ? t.amount >= 0 : t.amount < 0)) &&
          (!search || `${t.purpose} ${t.counterpartName}`.toLowerCase().includes(search)),
      )
      // finAPI's default order: id ascending.
      .sort((a, b) => a.id - b.id);
    const round = (n: number) => Math.round(n * 100) / 100;
    const income = round(matching.filter((t) => t.amount >= 0).reduce((s, t) => s + t.amount, 0));
    const spending = round(matching.filter((t) => t.amount < 0).reduce((s, t) => s + t.amount, 0));
    const { items, paging } = paginate(req, matching);
    const importDate = new Date().toISOString();
    const transactions = items.map((t) => transactionView(t, importDate));
    json(res, 200, { transactions, paging, income, spending, balance: round(income + spending) });
  },

  "GET /api/v2/transactions/:id": (state, req, res) => {
    const transaction = transactionOf(userOf(state, req), req);
    json(res, 200, transactionView(transaction, new Date().toISOString()));
  },

  // The fields an edit may change: isNew, isPotentialDuplicate (only to false), categoryId, labelIds. The emulator
  // keeps isNew and accepts the others (it has no categories or labels).
  "PATCH /api/v2/transactions/:id": (state, req, res) => {
    const transaction = transactionOf(userOf(state, req), req);
    const body = req.json<{ isNew?: unknown; isPotentialDuplicate?: unknown } | null>() ?? {};
    if (body.isPotentialDuplicate === true) {
      throw fail(400, req, "BAD_REQUEST", "isPotentialDuplicate can only be set to false");
    }
    if (typeof body.isNew === "boolean") transaction.isNew = body.isNew;
    json(res, 200, transactionView(transaction, new Date().toISOString()));
  },

  // A split replaces the transaction's parts (if any) with the new ones; a part's field left out is the original's.
  "POST /api/v2/transactions/:id/split": (state, req, res) => {
    const transaction = transactionOf(userOf(state, req), req);
    type Part = { amount?: unknown; purpose?: unknown; counterpart?: unknown; counterpartIban?: unknown };
    const parts = req.json<{ subTransactions?: Part[] } | null>()?.subTransactions;
    if (!Array.isArray(parts) || parts.length === 0 || !parts.every((p) => typeof p?.amount === "number")) {
      throw fail(400, req, "MISSING_FIELD", "subTransactions needs at least one sub-transaction with an amount");
    }
    const text = (value: unknown, fallback: string) => (typeof value === "string" ? value : fallback);
    transaction.children = parts.map((part) => ({
      ...transaction,
      id: state.nextId++,
      amount: part.amount as number,
      purpose: text(part.purpose, transaction.purpose),
      counterpartName: text(part.counterpart, transaction.counterpartName),
      counterpartIban: typeof part.counterpartIban === "string" ? part.counterpartIban : transaction.counterpartIban,
      children: undefined,
      parentId: transaction.id,
    }));
    json(res, 200, transactionView(transaction, new Date().toISOString()));
  },

  "POST /api/v2/transactions/:id/restore": (state, req, res) => {
    const transaction = transactionOf(userOf(state, req), req);
    transaction.children = undefined;
    json(res, 200, transactionView(transaction, new Date().toISOString()));
  },

  ...webFormRoutes((state, req) => userOf(state, req, "webform"), importConnection),

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
 * finAPI Access V2, Web Form 2.0 and the Process Controller on one server (their paths do not overlap): client
 * tokens, users, password and refresh-token grants (a refresh token only from the password grant), revocation by
 * form body, process tokens (at most 10 exchanges, none after invalidate=true), bank connections imported through
 * web forms (completed by a POST to the form's URL, as the user's browser would), background update tasks, accounts
 * unpaged, transactions in pages with `view` required, with finAPI's error shapes and its `X-Request-Id` echo.
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
        requireMultiStepAuthentication: (on) => {
          state.multiStepAuthentication = on;
        },
        requireWebFormOnUpdate: (on) => {
          state.webFormOnUpdate = on;
        },
      },
      reset() {
        Object.assign(state, emptyData());
        seed(state);
      },
    };
  },
};

import { randomBytes, sign } from "node:crypto";
import type { ServerResponse } from "node:http";
import { createCounters, failWith, json, routeTable } from "../emulator.js";
import type { Counters, Emulator, EmulatorContext, EmulatorRequest, RouteTable } from "../emulator.js";
import {
  COUNTRIES,
  FAKE_BANK,
  MERCHANTS,
  PROVIDERS,
  appLevel,
  demoKeys,
  verifySignedRequest,
} from "./saltedge-shared.js";
import type { AppLevelChecks } from "./saltedge-shared.js";

export interface SaltEdgeOptions {
  /** The app's public key (PEM) that request signatures are verified with; the demo key by default. */
  publicKey?: string;
  /** Items per page of list endpoints. Default 10, so the demo's 25 transactions per account span 3 pages. */
  pageSize?: number;
  /**
   * Where callbacks go: each kind is posted to `<callbackUrl>/<kind>` (success, fail, notify, destroy), as the
   * dashboard's one URL per kind would. Also settable with `control.setCallbackUrl`.
   */
  callbackUrl?: string;
}

export type SaltEdgeCallbackKind = "success" | "fail" | "notify" | "destroy";

export interface SaltEdgeControl {
  /** Registers the app's public key (PEM), as uploading it in the dashboard does. */
  registerPublicKey(pem: string): void;
  setCallbackUrl(url: string | undefined): void;
  /** The public key (SPKI PEM) that verifies this emulator's callbacks. */
  callbackPublicKey: string;
  /** Answers the next N API requests with 429 RateLimitExceeded. */
  rateLimitNext(count: number, retryAfterSeconds?: number): void;
  /** Callbacks posted so far, with the status the app answered (0 when it could not be reached). */
  callbacks(): Array<{ kind: SaltEdgeCallbackKind; url: string; status: number; body: string }>;
}

const APP = { appId: "saltedge-demo-app-id", secret: "saltedge-demo-secret" };
const SESSION_LIFETIME_MS = 3_600_000;

interface Customer {
  id: string;
  identifier: string;
  secret: string;
  created_at: string;
  updated_at: string;
}
type Row = Record<string, unknown> & { id: string };
interface Connection {
  id: string;
  customer_id: string;
  provider_code: string;
  provider_name: string;
  country_code: string;
  status: "active" | "inactive";
  last_consent_id: string | null;
  created_at: string;
  updated_at: string;
  accounts: Row[];
  transactions: Array<Row & { account_id: string; status: string }>;
  consents: Row[];
}
/** A connect session: what the end user's browser opens at `connect_url`, single use. */
interface Session {
  customerId: string;
  /** Set for reconnect and refresh; a new connection otherwise. */
  connectionId: string | undefined;
  scopes: string[];
  returnTo: string | undefined;
  customFields: Record<string, unknown>;
  providerCode: string;
  expires: number;
}

/** What the CLI prints and `startSandbox().provider("saltedge").demoCredentials` gives. */
type SaltEdgeCredentials = { appId: string; secret: string; privateKey: string; callbackPublicKey: string };

interface State {
  pageSize: number;
  stats: Counters;
  /** The registered app key; `undefined` means the demo key, resolved on first use so a start generates no key pair. */
  publicKey: string | undefined;
  callbackUrl: string | undefined;
  rateLimited: { count: number; retryAfter: number };
  customers: Map<string, Customer>;
  connections: Map<string, Connection>;
  /** By token. */
  sessions: Map<string, Session>;
  sent: Array<{ kind: SaltEdgeCallbackKind; url: string; status: number; body: string }>;
}

let sequence = 20_000;
const nextId = () => String(++sequence);
const now = () => new Date().toISOString();

/** Salt Edge's error shape of v5 and later: `{ error: { class, message, documentation_url }, request }`. */
const fail = failWith((_status, errorClass: string, message: string, req?: EmulatorRequest) => ({
  error: { class: errorClass, message, documentation_url: "https://docs.saltedge.com/v6/api_reference#errors" },
  request: req ? { method: req.method, path: req.path } : {},
}));

/** Two accounts of 25 transactions each (the last three pending), as the fake bank answers. */
function fakeData(connection: Connection): void {
  const start = Date.UTC(2024, 0, 1);
  for (const [a, name] of ["Checking", "Credit card"].entries()) {
    const account: Row = {
      id: nextId(),
      connection_id: connection.id,
      name: `${name} ${connection.id}`,
      nature: a === 0 ? "account" : "card",
      balance: 0,
      currency_code: "EUR",
      extra: {},
      created_at: now(),
      updated_at: now(),
    };
    let balance = 0;
    for (let t = 0; t < 25; t++) {
      const amount = ((t * 37) % 200) - 120 + a * 3;
      balance += amount;
      connection.transactions.push({
        id: nextId(),
        account_id: account.id,
        status: t >= 22 ? "pending" : "posted",
        made_on: new Date(start + t * 86_400_000).toISOString().slice(0, 10),
        amount,
        currency_code: "EUR",
        description: `${MERCHANTS[t % MERCHANTS.length]} #${t + 1}`,
        category: amount >= 0 ? "income" : "shopping",
        duplicated: false,
        extra: {},
      });
    }
    account.balance = balance;
    connection.accounts.push(account);
  }
}

/** v6 signs every request: a missing, malformed, expired or wrong signature is refused with its error class. */
function verifySignature(state: State, req: EmulatorRequest, baseUrl: string): void {
  const expiresAt = req.headers["expires-at"];
  const signature = req.headers.signature;
  if (typeof signature !== "string" || signature === "") {
    throw fail(401, "MissingSignature", "Every request must be signed (Expires-at and Signature headers).", req);
  }
  if (typeof expiresAt !== "string" || expiresAt === "") {
    throw fail(401, "MissingExpiresAt", "The Expires-at header is required with Signature.", req);
  }
  verifySignedRequest(
    req,
    { expiresAt, signature, baseUrl, publicPem: state.publicKey ?? demoKeys().app.publicPem, digest: "sha256" },
    fail,
  );
}

/** One page of a list: `from_id` in, `meta.next_id` and `meta.next_page` out. */
function page<T extends { id: string }>(state: State, req: EmulatorRequest, items: T[]) {
  const fromId = req.url.searchParams.get("from_id");
  const start = fromId === null ? 0 : items.findIndex((item) => item.id === fromId);
  if (start < 0) throw fail(400, "WrongRequestFormat", "from_id is not an id of this list.", req);
  const data = items.slice(start, start + state.pageSize);
  const next = items[start + state.pageSize];
  const query = new URLSearchParams(req.url.searchParams);
  if (next) query.set("from_id", next.id);
  return { data, meta: { next_id: next?.id ?? null, next_page: next ? `/api/v6${req.path}?${query}` : null } };
}

/** The `data` object every Salt Edge request body wraps its fields in. */
function dataOf<T>(req: EmulatorRequest): T {
  let body: { data?: T };
  try {
    body = JSON.parse(req.text()) as { data?: T };
  } catch {
    throw fail(400, "JsonParseError", "The request body is not valid JSON.", req);
  }
  if (typeof body !== "object" || body === null || typeof body.data !== "object" || body.data === null) {
    throw fail(400, "WrongRequestFormat", 'The request body must be { "data": { ... } }.', req);
  }
  return body.data;
}

function customerOf(state: State, req: EmulatorRequest, id: string | null | undefined): Customer {
  const customer = id ? state.customers.get(id) : undefined;
  if (!customer) throw fail(404, "CustomerNotFound", `No customer with id ${String(id)}.`, req);
  return customer;
}

function connectionOf(state: State, req: EmulatorRequest, id: string | null | undefined): Connection {
  const connection = id ? state.connections.get(id) : undefined;
  if (!connection) throw fail(404, "ConnectionNotFound", `No connection with id ${String(id)}.`, req);
  return connection;
}

function publicConnection(connection: Connection) {
  const { accounts: _a, transactions: _t, consents: _c, ...rest } = connection;
  return rest;
}

/** Signs (RSA-SHA256 over `"<url>|<body>"`, Salt Edge's key) and posts one callback to `<callbackUrl>/<kind>`. */
async function sendCallback(state: State, kind: SaltEdgeCallbackKind, data: Record<string, unknown>): Promise<void> {
  if (!state.callbackUrl) return;
  const url = `${state.callbackUrl.replace(/\/+$/, "")}/${kind}`;
  const body = JSON.stringify({ data, meta: { version: "6", time: now() } });
  const signature = sign("sha256", Buffer.from(`${url}|${body}`), demoKeys().callback.privateKey).toString("base64");
  let status = 0;
  try {
    const response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", signature },
      body,
      signal: AbortSignal.timeout(5000),
    });
    status = response.status;
    await response.body?.cancel();
  } catch {
    // An unreachable app is recorded with status 0, as Salt Edge would retry later.
  }
  state.sent.push({ kind, url, status, body });
}

/** Opens a connect session (connect, reconnect or refresh); the end user finishes it at `connect_url`. */
function openSession(state: State, res: ServerResponse, ctx: EmulatorContext, session: Omit<Session, "expires">): void {
  const token = randomBytes(24).toString("base64url");
  const expires = Date.now() + SESSION_LIFETIME_MS;
  state.sessions.set(token, { ...session, expires });
  state.stats.tokenIssued("connect_session");
  json(res, 200, {
    data: {
      connect_url: `${ctx.baseUrl}/connect/${token}`,
      expires_at: new Date(expires).toISOString(),
      customer_id: session.customerId,
    },
  });
}

interface SessionRequest {
  consent?: { scopes?: unknown };
  attempt?: { return_to?: unknown; fetch_scopes?: unknown; custom_fields?: unknown };
}

function sessionFields(req: EmulatorRequest, data: SessionRequest, needsConsent: boolean) {
  const scopes = data.consent?.scopes;
  if (needsConsent && (!Array.isArray(scopes) || scopes.length === 0)) {
    throw fail(400, "WrongRequestFormat", "data.consent.scopes must be a non-empty array.", req);
  }
  const returnTo = data.attempt?.return_to;
  const customFields = data.attempt?.custom_fields;
  return {
    scopes: Array.isArray(scopes) ? scopes.map(String) : ["accounts", "transactions"],
    returnTo: typeof returnTo === "string" ? returnTo : undefined,
    customFields:
      typeof customFields === "object" && customFields !== null ? (customFields as Record<string, unknown>) : {},
  };
}

/**
 * Sandbox only: the end user's login at the fake bank, as the page at `connect_url` would post it. It finishes the
 * session: the connection is created (or updated), filled with the fake bank's data, and a signed callback (success
 * with stage "finish", or fail) is posted to the app before this answers. No app headers: it is the browser's call.
 */
async function bankLogin(state: State, req: EmulatorRequest, res: ServerResponse, token: string): Promise<void> {
  const session = state.sessions.get(token);
  if (!session || session.expires < Date.now()) {
    state.sessions.delete(token);
    throw fail(404, "ConnectSessionNotFound", "No open connect session for this URL (used or expired).", req);
  }
  state.sessions.delete(token);
  let credentials: { login?: unknown; password?: unknown } = {};
  try {
    credentials = JSON.parse(req.text() || "{}") as typeof credentials;
  } catch {
    throw fail(400, "JsonParseError", "The login body is not valid JSON.", req);
  }
  const ok = credentials.login === FAKE_BANK.login && credentials.password === FAKE_BANK.password;
  const provider = PROVIDERS.find((p) => p.code === session.providerCode) ?? PROVIDERS[0];
  let connection = session.connectionId ? state.connections.get(session.connectionId) : undefined;
  if (!connection) {
    connection = {
      id: nextId(),
      customer_id: session.customerId,
      provider_code: provider?.code ?? "fakebank_simple_xf",
      provider_name: provider?.name ?? "Fake Bank simple",
      country_code: "XF",
      status: "inactive",
      last_consent_id: null,
      created_at: now(),
      updated_at: now(),
      accounts: [],
      transactions: [],
      consents: [],
    };
    state.connections.set(connection.id, connection);
  }
  connection.updated_at = now();
  const base = {
    connection_id: connection.id,
    customer_id: connection.customer_id,
    custom_fields: session.customFields,
  };
  if (ok) {
    connection.status = "active";
    const consent = {
      id: nextId(),
      connection_id: connection.id,
      customer_id: connection.customer_id,
      status: "active",
      scopes: session.scopes,
      expires_at: new Date(Date.now() + 90 * 86_400_000).toISOString(),
      created_at: now(),
    };
    connection.consents.push(consent);
    connection.last_consent_id = consent.id;
    if (connection.accounts.length === 0) fakeData(connection);
    await sendCallback(state, "success", { ...base, stage: "finish" });
  } else {
    await sendCallback(state, "fail", {
      ...base,
      error_class: "InvalidCredentials",
      error_message: "Invalid credentials for the fake bank (login: username, password: secret).",
    });
  }
  json(res, 200, {
    data: { connection_id: connection.id, status: ok ? "success" : "fail", return_to: session.returnTo },
  });
}

async function removeConnection(state: State, connection: Connection): Promise<void> {
  state.connections.delete(connection.id);
  await sendCallback(state, "destroy", { connection_id: connection.id, customer_id: connection.customer_id });
}

const routes: RouteTable<State> = {
  // Sandbox-only: the dashboard's callback URLs, so an app that sees only the sandbox URL gets callbacks.
  "PUT /dashboard/callback_url": (state, req, res) => {
    const { url } = dataOf<{ url?: unknown }>(req);
    if (typeof url !== "string" || !/^https?:\/\//.test(url)) {
      throw fail(400, "WrongRequestFormat", "data.url must be an http(s) URL.", req);
    }
    state.callbackUrl = url;
    json(res, 200, { data: { callback_url: url } });
  },
  "GET /countries": (_state, _req, res) => json(res, 200, { data: COUNTRIES }),
  "GET /providers": (state, req, res) => {
    const country = req.url.searchParams.get("country_code");
    json(res, 200, page(state, req, country ? PROVIDERS.filter((p) => p.country_code === country) : PROVIDERS));
  },
  "GET /providers/:code": (_state, req, res) => {
    const provider = PROVIDERS.find((p) => p.code === req.params.code);
    if (!provider) throw fail(404, "ProviderNotFound", `No provider with code ${req.params.code}.`, req);
    json(res, 200, { data: provider });
  },
  "GET /customers": (state, req, res) => json(res, 200, page(state, req, [...state.customers.values()])),
  "POST /customers": (state, req, res) => {
    const { identifier } = dataOf<{ identifier?: unknown }>(req);
    if (typeof identifier !== "string" || identifier === "") {
      throw fail(400, "WrongRequestFormat", "data.identifier must be a non-empty string.", req);
    }
    if ([...state.customers.values()].some((c) => c.identifier === identifier)) {
      throw fail(409, "DuplicatedCustomer", `A customer with identifier ${identifier} exists.`, req);
    }
    const customer = {
      id: nextId(),
      identifier,
      secret: randomBytes(24).toString("base64url"),
      created_at: now(),
      updated_at: now(),
    };
    state.customers.set(customer.id, customer);
    json(res, 200, { data: customer });
  },
  "GET /customers/:id": (state, req, res) => json(res, 200, { data: customerOf(state, req, req.params.id) }),
  "DELETE /customers/:id": async (state, req, res) => {
    const customer = customerOf(state, req, req.params.id);
    state.customers.delete(customer.id);
    for (const connection of [...state.connections.values()]) {
      if (connection.customer_id === customer.id) await removeConnection(state, connection);
    }
    json(res, 200, { data: { id: customer.id, removed: true } });
  },

  "POST /connections/connect": (state, req, res, ctx) => {
    const data = dataOf<SessionRequest & { customer_id?: string; provider?: { code?: unknown } }>(req);
    const customer = customerOf(state, req, data.customer_id);
    const code = data.provider?.code;
    if (code !== undefined && !PROVIDERS.some((p) => p.code === code)) {
      throw fail(404, "ProviderNotFound", `No provider with code ${String(code)}.`, req);
    }
    const providerCode = typeof code === "string" ? code : "fakebank_simple_xf";
    const fields = sessionFields(req, data, true);
    openSession(state, res, ctx, { customerId: customer.id, connectionId: undefined, providerCode, ...fields });
  },
  "POST /connections/:id/reconnect": (state, req, res, ctx) => {
    const connection = connectionOf(state, req, req.params.id);
    const fields = sessionFields(req, dataOf<SessionRequest>(req), false);
    const { customer_id: customerId, provider_code: providerCode } = connection;
    openSession(state, res, ctx, { customerId, connectionId: connection.id, providerCode, ...fields });
  },
  "POST /connections/:id/refresh": (state, req, res, ctx) => {
    const connection = connectionOf(state, req, req.params.id);
    const fields = sessionFields(req, dataOf<SessionRequest>(req), false);
    const { customer_id: customerId, provider_code: providerCode } = connection;
    openSession(state, res, ctx, { customerId, connectionId: connection.id, providerCode, ...fields });
  },
  "GET /connections": (state, req, res) => {
    const customer = customerOf(state, req, req.url.searchParams.get("customer_id"));
    const mine = [...state.connections.values()].filter((c) => c.customer_id === customer.id);
    json(res, 200, page(state, req, mine.map(publicConnection)));
  },
  "GET /connections/:id": (state, req, res) =>
    json(res, 200, { data: publicConnection(connectionOf(state, req, req.params.id)) }),
  "DELETE /connections/:id": async (state, req, res) => {
    const connection = connectionOf(state, req, req.params.id);
    await removeConnection(state, connection);
    json(res, 200, { data: { id: connection.id, removed: true } });
  },

  "GET /consents": (state, req, res) => {
    const connection = connectionOf(state, req, req.url.searchParams.get("connection_id"));
    json(res, 200, page(state, req, connection.consents));
  },
  "GET /accounts": (state, req, res) => {
    const connection = connectionOf(state, req, req.url.searchParams.get("connection_id"));
    json(res, 200, page(state, req, connection.accounts));
  },
  "GET /transactions": (state, req, res) => {
    const connection = connectionOf(state, req, req.url.searchParams.get("connection_id"));
    const accountId = req.url.searchParams.get("account_id");
    if (accountId !== null && !connection.accounts.some((a) => a.id === accountId)) {
      throw fail(404, "AccountNotFound", `No account ${accountId} in this connection.`, req);
    }
    const status = req.url.searchParams.get("pending") === "true" ? "pending" : "posted";
    const wanted = (t: Connection["transactions"][number]) =>
      t.status === status && (accountId === null || t.account_id === accountId);
    json(res, 200, page(state, req, connection.transactions.filter(wanted)));
  },
};

/**
 * What every API request passes before its route (the shared guard, with v6's headers and error shape). The
 * sandbox-only bank login at `connect_url` is the end user's browser, so it skips the app's checks.
 */
const appLevelChecks = (state: State): AppLevelChecks => ({
  state,
  fail,
  hasErrorClass: (body) => typeof (body as { error?: { class?: unknown } } | null)?.error?.class === "string",
  credentials: {
    headers: ["app-id", "secret"],
    expected: [APP.appId, APP.secret],
    refusal: "No app with this App-id and Secret.",
  },
  verifySignature: (req, baseUrl) => verifySignature(state, req, baseUrl),
  openRoute(req, res) {
    const login = /^\/connect\/([^/]+)$/.exec(req.path);
    if (!login || req.method !== "POST") return undefined;
    return bankLogin(state, req, res, decodeURIComponent(login[1] ?? ""));
  },
});

/**
 * The Salt Edge API v6 (the "@x/saltedge" main entry): App-id + Secret on every request, every request signed
 * (RSA-SHA256, verified with the registered app public key), customers, connect sessions (connect, reconnect,
 * refresh) finished by a sandbox-only bank login at `connect_url` (`POST` `{ login, password }`; the fake bank's are
 * username / secret), connections, consents, and accounts and transactions across several pages. Callbacks are signed
 * with the emulator's key (`control.callbackPublicKey`) and posted to `<callbackUrl>/<kind>`; set the URL with
 * `options.callbackUrl`, `control.setCallbackUrl(url)` or, over HTTP as a signed app call,
 * `PUT /dashboard/callback_url { "data": { "url" } }` (sandbox only). Error statuses the provider does not publish
 * are this emulator's choice: 401 for wrong credentials or signatures, 400 for ExpiresAtInvalid and malformed
 * bodies, 404 for *NotFound, 409 for DuplicatedCustomer.
 */
export const saltedge: Emulator<SaltEdgeOptions, SaltEdgeControl, SaltEdgeCredentials> = {
  name: "saltedge",
  get demoCredentials() {
    return { ...APP, privateKey: demoKeys().app.privatePem, callbackPublicKey: demoKeys().callback.publicPem };
  },
  create(options = {}) {
    const state: State = {
      pageSize: options.pageSize ?? 10,
      stats: createCounters(),
      publicKey: options.publicKey,
      callbackUrl: options.callbackUrl,
      rateLimited: { count: 0, retryAfter: 1 },
      customers: new Map(),
      connections: new Map(),
      sessions: new Map(),
      sent: [],
    };
    return {
      handle: appLevel(appLevelChecks(state), routeTable(routes, state)),
      stats: state.stats,
      control: {
        registerPublicKey: (pem) => void (state.publicKey = pem),
        setCallbackUrl: (url) => void (state.callbackUrl = url),
        get callbackPublicKey() {
          return demoKeys().callback.publicPem;
        },
        rateLimitNext: (count, retryAfterSeconds = 1) => {
          state.rateLimited = { count, retryAfter: retryAfterSeconds };
        },
        callbacks: () => [...state.sent],
      },
      reset() {
        state.customers.clear();
        state.connections.clear();
        state.sessions.clear();
        state.sent.length = 0;
        state.rateLimited = { count: 0, retryAfter: 1 };
        state.publicKey = options.publicKey;
        state.callbackUrl = options.callbackUrl;
      },
    };
  },
};

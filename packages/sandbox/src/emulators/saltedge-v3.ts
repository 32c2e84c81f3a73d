import { randomBytes, sign } from "node:crypto";
import type { ServerResponse } from "node:http";
import { createCounters, failWith, json, routeTable } from "../emulator.js";
import type { Counters, Emulator, EmulatorRequest, Route, RouteTable } from "../emulator.js";
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
  /** The app's public key (PEM) that signed requests are verified with; the demo key by default. */
  publicKey?: string;
  /**
   * Hash of request and callback signatures: "sha1" (default; v3 signs with SHA-1, per the v3 branch of Salt Edge's
   * examples and its v4 changelog) or "sha256" (the v4 way).
   */
  signatureAlgorithm?: "sha256" | "sha1";
  /** A live client: every request must be signed. Default false (signatures verified when sent). */
  requireSignature?: boolean;
  /** Items per page of list endpoints. Default 10, so the demo's 25 transactions per account span 3 pages. */
  pageSize?: number;
  /** Where callbacks are posted (the dashboard's callback URL); also settable with `control.setCallbackUrl`. */
  callbackUrl?: string;
}

export type SaltEdgeCallbackKind = "success" | "fail" | "notify" | "interactive";

export interface SaltEdgeControl {
  /** Registers the app's public key (PEM), as uploading it in the dashboard does. */
  registerPublicKey(pem: string): void;
  setRequireSignature(required: boolean): void;
  setCallbackUrl(url: string | undefined): void;
  /** Signs and posts a callback for the login to the callback URL; resolves with the app's status. */
  sendCallback(kind: SaltEdgeCallbackKind, loginId: string): Promise<number>;
  /** The public key (SPKI PEM) that verifies this emulator's callbacks. */
  callbackPublicKey: string;
  /** Answers the next N API requests with 429 RateLimitExceeded. */
  rateLimitNext(count: number, retryAfterSeconds?: number): void;
  /** Callbacks posted so far, with the status the app answered (0 when it could not be reached). */
  callbacks(): Array<{ kind: SaltEdgeCallbackKind; url: string; status: number }>;
}

const CLIENT = { clientId: "saltedge-demo-client-id", appSecret: "saltedge-demo-app-secret" };

interface Customer {
  id: string;
  identifier: string;
  secret: string;
  created_at: string;
}
interface Login {
  id: string;
  secret: string;
  customer_id: string;
  provider_code: string;
  provider_name: string;
  country_code: string;
  status: "active" | "inactive";
  last_fail_error_class: string | null;
  last_fail_message: string | null;
  created_at: string;
  updated_at: string;
  accounts: Array<Record<string, unknown> & { id: string }>;
  transactions: Array<Record<string, unknown> & { id: string; account_id: string; status: string }>;
  attempts: Array<Record<string, unknown> & { id: string }>;
}

let sequence = 10_000;
const nextId = () => String(++sequence);
const secret = () => randomBytes(24).toString("base64url");

/** What the CLI prints and `startSandbox().provider("saltedge").demoCredentials` gives. */
type SaltEdgeCredentials = { clientId: string; appSecret: string; privateKey: string; callbackPublicKey: string };

interface State {
  algorithm: "sha256" | "sha1";
  pageSize: number;
  stats: Counters;
  /** The registered app key; `undefined` means the demo key, resolved on first use so a start generates no key pair. */
  publicKey: string | undefined;
  requireSignature: boolean;
  callbackUrl: string | undefined;
  rateLimited: { count: number; retryAfter: number };
  /** By secret. */
  customers: Map<string, Customer>;
  /** By secret. */
  logins: Map<string, Login>;
  sent: Array<{ kind: SaltEdgeCallbackKind; url: string; status: number }>;
}

/** Salt Edge's error shape: `{ error_class, error_message, request }`. */
const fail = failWith((_status, errorClass: string, message: string, req?: EmulatorRequest) => ({
  error_class: errorClass,
  error_message: message,
  request: req ? { method: req.method, path: req.path } : {},
}));

function fakeData(login: Login): void {
  const start = Date.UTC(2024, 0, 1);
  for (const [a, name] of ["Checking", "Credit card"].entries()) {
    const account = {
      id: nextId(),
      login_id: login.id,
      name: `${name} ${login.id}`,
      nature: a === 0 ? "checking" : "credit_card",
      balance: 0,
      currency_code: "EUR",
      extra: {},
    };
    let balance = 0;
    for (let t = 0; t < 25; t++) {
      const amount = ((t * 37) % 200) - 120 + a * 3;
      balance += amount;
      login.transactions.push({
        id: nextId(),
        account_id: account.id,
        mode: "normal",
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
    login.accounts.push(account);
  }
}

function verifySignature(state: State, req: EmulatorRequest, baseUrl: string): void {
  const expiresAt = req.headers["expires-at"];
  const signature = req.headers["signature"];
  if (expiresAt === undefined && signature === undefined) {
    if (state.requireSignature) {
      const message = "Live clients must sign every request (Expires-at and Signature headers).";
      throw fail(401, "MissingSignature", message, req);
    }
    return;
  }
  if (typeof expiresAt !== "string") {
    throw fail(401, "MissingExpiresAt", "The Expires-at header is required with Signature.", req);
  }
  if (typeof signature !== "string") {
    throw fail(401, "MissingSignature", "The Signature header is required with Expires-at.", req);
  }
  const publicPem = state.publicKey ?? demoKeys().app.publicPem;
  verifySignedRequest(req, { expiresAt, signature, baseUrl, publicPem, digest: state.algorithm }, fail);
}

function customerOf(state: State, req: EmulatorRequest): Customer {
  const value = req.headers["customer-secret"];
  const customer = typeof value === "string" ? state.customers.get(value) : undefined;
  if (!customer) throw fail(401, "CustomerNotFound", "No customer of this app has that Customer-secret.", req);
  return customer;
}

function loginOf(state: State, req: EmulatorRequest): Login {
  const customer = customerOf(state, req);
  const value = req.headers["login-secret"];
  const login = typeof value === "string" ? state.logins.get(value) : undefined;
  if (!login || login.customer_id !== customer.id) {
    throw fail(401, "LoginNotFound", "No login of this customer has that Login-secret.", req);
  }
  return login;
}

/** One page of a list, Salt Edge style: `from_id` in, `meta.next_id` and `meta.next_page` out. */
function page<T extends { id: string }>(state: State, req: EmulatorRequest, items: T[]) {
  const fromId = req.url.searchParams.get("from_id");
  const start = fromId === null ? 0 : items.findIndex((item) => item.id === fromId);
  if (start < 0) throw fail(400, "WrongRequestFormat", "from_id is not an id of this list.", req);
  const data = items.slice(start, start + state.pageSize);
  const next = items[start + state.pageSize];
  const query = new URLSearchParams(req.url.searchParams);
  if (next) query.set("from_id", next.id);
  return { data, meta: { next_id: next?.id ?? null, next_page: next ? `/api/v3${req.path}?${query}` : null } };
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

async function sendCallback(state: State, kind: SaltEdgeCallbackKind, login: Login): Promise<number> {
  if (!state.callbackUrl) return 0;
  const url = state.callbackUrl;
  const data: Record<string, unknown> = { login_id: login.id, customer_id: login.customer_id, custom_fields: {} };
  if (kind === "notify") data.stage = "finish";
  if (kind === "fail") {
    Object.assign(data, { error_class: login.last_fail_error_class, error_message: login.last_fail_message });
  }
  const body = JSON.stringify({ data, meta: { version: "3", time: new Date().toISOString() } });
  const signature = sign(state.algorithm, Buffer.from(`${url}|${body}`), demoKeys().callback.privateKey).toString(
    "base64",
  );
  let status = 0;
  try {
    const headers = { "content-type": "application/json", signature };
    const response = await fetch(url, { method: "POST", headers, body });
    status = response.status;
    await response.body?.cancel();
  } catch {
    // An unreachable app is recorded with status 0, as Salt Edge would retry later.
  }
  state.sent.push({ kind, url, status });
  return status;
}

function publicLogin(login: Login, withSecret: boolean) {
  const { secret: loginSecret, accounts: _a, transactions: _t, attempts: _at, ...rest } = login;
  return withSecret ? { ...rest, secret: loginSecret } : rest;
}

/** A connection attempt on the fake bank: the login turns active or inactive, and a callback reports it. */
function connect(state: State, req: EmulatorRequest, login: Login, credentials: Record<string, unknown> | undefined) {
  const ok = credentials?.login === FAKE_BANK.login && credentials?.password === FAKE_BANK.password;
  const now = new Date().toISOString();
  login.updated_at = now;
  login.status = ok ? "active" : "inactive";
  login.last_fail_error_class = ok ? null : "InvalidCredentials";
  login.last_fail_message = ok ? null : "Invalid credentials for the fake bank (login: username, password: secret).";
  if (ok && login.accounts.length === 0) fakeData(login);
  login.attempts.push({
    id: nextId(),
    success: ok,
    finished: true,
    fetch_type: "recent",
    fail_error_class: login.last_fail_error_class,
    fail_message: login.last_fail_message,
    created_at: now,
  });
  // Salt Edge reports the outcome asynchronously, through callbacks.
  void sendCallback(state, ok ? "success" : "fail", login);
  return publicLogin(login, req.method === "POST");
}

function connectToken(state: State, req: EmulatorRequest, res: ServerResponse, baseUrl: string): void {
  dataOf(req);
  const token = secret();
  state.stats.tokenIssued("connect_token");
  const expiresAt = new Date(Date.now() + 3_600_000).toISOString();
  json(res, 200, { data: { token, expires_at: expiresAt, connect_url: `${baseUrl}/connect?token=${token}` } });
}

function oauthToken(state: State, req: EmulatorRequest, res: ServerResponse, baseUrl: string): void {
  const { return_to } = dataOf<{ return_to?: string }>(req);
  state.stats.tokenIssued("oauth_token");
  const expiresAt = new Date(Date.now() + 600_000).toISOString();
  const redirectUrl = `${baseUrl}/oauth/authorize?return_to=${encodeURIComponent(return_to ?? "")}`;
  json(res, 200, { data: { token: secret(), expires_at: expiresAt, redirect_url: redirectUrl } });
}

/** A token route: the level it needs (customer or login) is checked, then the token is issued. */
function issuing(
  level: (state: State, req: EmulatorRequest) => unknown,
  issue: (state: State, req: EmulatorRequest, res: ServerResponse, baseUrl: string) => void,
): Route<State> {
  return (state, req, res, ctx) => {
    level(state, req);
    issue(state, req, res, ctx.baseUrl);
  };
}

function transactions(status: string) {
  return (state: State, req: EmulatorRequest, res: ServerResponse) => {
    const login = loginOf(state, req);
    const accountId = req.url.searchParams.get("account_id");
    if (accountId !== null && !login.accounts.some((a) => a.id === accountId)) {
      throw fail(404, "AccountNotFound", `No account ${accountId} in this login.`, req);
    }
    const wanted = (t: Login["transactions"][number]) =>
      t.status === status && (accountId === null || t.account_id === accountId);
    json(res, 200, page(state, req, login.transactions.filter(wanted)));
  };
}

const routes: RouteTable<State> = {
  // Sandbox-only: the dashboard's "callback URL" setting, so an app that sees only the sandbox URL gets callbacks.
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
  "GET /customers": (state, req, res) => {
    json(
      res,
      200,
      page(
        state,
        req,
        [...state.customers.values()].map(({ secret: _s, ...c }) => c),
      ),
    );
  },
  "POST /customers": (state, req, res) => {
    const { identifier } = dataOf<{ identifier?: unknown }>(req);
    if (typeof identifier !== "string" || identifier === "") {
      throw fail(400, "WrongRequestFormat", "data.identifier must be a non-empty string.", req);
    }
    if ([...state.customers.values()].some((c) => c.identifier === identifier)) {
      throw fail(409, "DuplicatedCustomer", `A customer with identifier ${identifier} exists.`, req);
    }
    const customer = { id: nextId(), identifier, secret: secret(), created_at: new Date().toISOString() };
    state.customers.set(customer.secret, customer);
    state.stats.tokenIssued("customer_secret");
    json(res, 200, { data: customer });
  },
  "DELETE /customers/:id": (state, req, res) => {
    const customer = [...state.customers.values()].find((c) => c.id === req.params.id);
    if (!customer) throw fail(404, "CustomerNotFound", `No customer with id ${req.params.id}.`, req);
    state.customers.delete(customer.secret);
    for (const [key, login] of state.logins) if (login.customer_id === customer.id) state.logins.delete(key);
    json(res, 200, { data: { deleted: true, id: customer.id } });
  },

  "POST /tokens/create": issuing(customerOf, connectToken),
  "POST /tokens/reconnect": issuing(loginOf, connectToken),
  "POST /tokens/refresh": issuing(loginOf, connectToken),
  "POST /oauth_providers/create": issuing(customerOf, oauthToken),
  "POST /oauth_providers/reconnect": issuing(loginOf, oauthToken),
  "POST /oauth_providers/refresh": issuing(loginOf, oauthToken),

  "POST /login": (state, req, res) => {
    const customer = customerOf(state, req);
    const data = dataOf<{ provider_code?: string; country_code?: string; credentials?: Record<string, unknown> }>(req);
    const provider = PROVIDERS.find((p) => p.code === data.provider_code);
    if (!provider) throw fail(404, "ProviderNotFound", `No provider with code ${String(data.provider_code)}.`, req);
    const now = new Date().toISOString();
    const login: Login = {
      id: nextId(),
      secret: secret(),
      customer_id: customer.id,
      provider_code: provider.code,
      provider_name: provider.name,
      country_code: provider.country_code,
      status: "inactive",
      last_fail_error_class: null,
      last_fail_message: null,
      created_at: now,
      updated_at: now,
      accounts: [],
      transactions: [],
      attempts: [],
    };
    state.logins.set(login.secret, login);
    state.stats.tokenIssued("login_secret");
    json(res, 200, { data: connect(state, req, login, data.credentials) });
  },
  "GET /login": (state, req, res) => json(res, 200, { data: publicLogin(loginOf(state, req), false) }),
  "DELETE /login": (state, req, res) => {
    const login = loginOf(state, req);
    state.logins.delete(login.secret);
    json(res, 200, { data: { deleted: true, id: login.id } });
  },
  "PUT /login/reconnect": (state, req, res) => {
    const login = loginOf(state, req);
    const { credentials } = dataOf<{ credentials?: Record<string, unknown> }>(req);
    json(res, 200, { data: connect(state, req, login, credentials) });
  },
  "PUT /login/refresh": (state, req, res) => {
    const login = loginOf(state, req);
    json(res, 200, { data: connect(state, req, login, FAKE_BANK) });
  },
  "PUT /login/interactive": (state, req, res) => {
    const login = loginOf(state, req);
    dataOf(req);
    json(res, 200, { data: publicLogin(login, false) });
  },

  "GET /accounts": (state, req, res) => json(res, 200, page(state, req, loginOf(state, req).accounts)),
  "GET /transactions": transactions("posted"),
  "GET /transactions/pending": transactions("pending"),
  "GET /attempts": (state, req, res) => json(res, 200, { data: loginOf(state, req).attempts }),
  "GET /attempts/:id": (state, req, res) => {
    const attempt = loginOf(state, req).attempts.find((a) => a.id === req.params.id);
    if (!attempt) throw fail(404, "AttemptNotFound", `No attempt ${req.params.id} in this login.`, req);
    json(res, 200, { data: attempt });
  },
};

/**
 * What every request passes before its route (the shared guard, with v3's headers and error shape); the signature
 * only when sent, or required.
 */
const appLevelChecks = (state: State): AppLevelChecks => ({
  state,
  fail,
  hasErrorClass: (body) => typeof body === "object" && body !== null && "error_class" in body,
  credentials: {
    headers: ["client-id", "app-secret"],
    expected: [CLIENT.clientId, CLIENT.appSecret],
    refusal: "No client with this Client-id and App-secret.",
  },
  verifySignature: (req, baseUrl) => verifySignature(state, req, baseUrl),
});

/**
 * The Salt Edge v3 apps API (the "@x/saltedge/v3" entry; registered as "saltedge-v3"): header levels (Client-id +
 * App-secret, + Customer-secret, + Login-secret), request signatures verified with the registered app public key
 * (SHA-1 by default, as v3 verifies), customers and logins with their secrets, paginated accounts and transactions,
 * and signed callbacks.
 * Statuses the provider does not publish are this emulator's choice: 401 for a wrong or
 * missing header or signature, 400 for ExpiresAtInvalid, 404 for *NotFound of a resource.
 * Callbacks go to `options.callbackUrl`, `control.setCallbackUrl(url)` or, over HTTP with the
 * app's headers, `PUT /dashboard/callback_url { "data": { "url" } }` (sandbox only).
 */
export const saltedgeV3: Emulator<SaltEdgeOptions, SaltEdgeControl, SaltEdgeCredentials> = {
  name: "saltedge-v3",
  get demoCredentials() {
    return { ...CLIENT, privateKey: demoKeys().app.privatePem, callbackPublicKey: demoKeys().callback.publicPem };
  },
  create(options = {}) {
    const state: State = {
      algorithm: options.signatureAlgorithm ?? "sha1",
      pageSize: options.pageSize ?? 10,
      stats: createCounters(),
      publicKey: options.publicKey,
      requireSignature: options.requireSignature ?? false,
      callbackUrl: options.callbackUrl,
      rateLimited: { count: 0, retryAfter: 1 },
      customers: new Map(),
      logins: new Map(),
      sent: [],
    };
    return {
      handle: appLevel(appLevelChecks(state), routeTable(routes, state)),
      stats: state.stats,
      control: {
        registerPublicKey: (pem) => void (state.publicKey = pem),
        setRequireSignature: (required) => void (state.requireSignature = required),
        setCallbackUrl: (url) => void (state.callbackUrl = url),
        sendCallback(kind, loginId) {
          const login = [...state.logins.values()].find((l) => l.id === loginId);
          if (!login) return Promise.reject(new Error(`saltedge emulator: no login ${loginId}`));
          return sendCallback(state, kind, login);
        },
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
        state.logins.clear();
        state.sent.length = 0;
        state.rateLimited = { count: 0, retryAfter: 1 };
        state.publicKey = options.publicKey;
        state.requireSignature = options.requireSignature ?? false;
        state.callbackUrl = options.callbackUrl;
      },
    };
  },
};

import { createVerify, generateKeyPairSync, randomBytes, randomUUID, sign, type KeyObject } from "node:crypto";
import { HttpError, createCounters, createRouter, json, type Emulator, type EmulatorRequest } from "../emulator.js";

export interface SaltEdgeOptions {
  /** The app's public key (PEM) that signed requests are verified with; the demo key by default. */
  publicKey?: string;
  /** Hash of request signatures: "sha256" (default) or "sha1" (v3-era clients). */
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

/**
 * Key pairs made once per process, when first asked for: the demo app's key (its private
 * half is a demo credential, its public half registered by default) and the emulator's own
 * callback-signing key (Salt Edge's private key, whose public half the app verifies with).
 */
let keys: { app: { privatePem: string; publicPem: string }; callback: { privateKey: KeyObject; publicPem: string } } | undefined;
function demoKeys() {
  if (!keys) {
    const app = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const callback = generateKeyPairSync("rsa", { modulusLength: 2048 });
    keys = {
      app: {
        privatePem: app.privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
        publicPem: app.publicKey.export({ type: "spki", format: "pem" }).toString(),
      },
      callback: { privateKey: callback.privateKey, publicPem: callback.publicKey.export({ type: "spki", format: "pem" }).toString() },
    };
  }
  return keys;
}

const CLIENT = { clientId: "saltedge-demo-client-id", appSecret: "saltedge-demo-app-secret" };
// The fake bank's credentials, as on Salt Edge's fakebank_simple_xf.
const FAKE_BANK = { login: "username", password: "secret" };
const MAX_EXPIRES_IN = 3600;

const COUNTRIES = [
  { code: "XF", name: "Fake" },
  { code: "DE", name: "Germany" },
  { code: "FR", name: "France" },
  { code: "GB", name: "United Kingdom" },
  { code: "MD", name: "Moldova" },
];
const PROVIDERS = ["simple", "interactive", "oauth", "with_fields", "semi_interactive", "image", "select", "error", "client", "api", "multiple", "token", "csv"].map(
  (kind, i) => ({
    id: String(1000 + i),
    code: `fakebank_${kind}_xf`,
    name: `Fake Bank ${kind.replace(/_/g, " ")}`,
    mode: kind === "oauth" ? "oauth" : kind === "api" ? "api" : kind === "csv" ? "file" : "web",
    status: "active",
    country_code: "XF",
    interactive: kind.includes("interactive"),
    automatic_fetch: true,
  }),
);
// Non-ASCII on purpose: clients must sign and parse UTF-8 bodies byte for byte.
const MERCHANTS = ["Café Müller", "Boulangerie Élise", "Łódź Kiosk", "東京ラーメン", "Supermarché", "Zürich Bahnhof", "Spotify"];

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

/** Salt Edge's error shape: `{ error_class, error_message, request }`. */
function fail(status: number, errorClass: string, message: string, req?: EmulatorRequest, headers: Record<string, string> = {}): never {
  throw new HttpError(status, { error_class: errorClass, error_message: message, request: req ? { method: req.method, path: req.path } : {} }, headers);
}

function fakeData(login: Login): void {
  const start = Date.UTC(2024, 0, 1);
  for (const [a, name] of ["Checking", "Credit card"].entries()) {
    const account = { id: nextId(), login_id: login.id, name: `${name} ${login.id}`, nature: a === 0 ? "checking" : "credit_card", balance: 0, currency_code: "EUR", extra: {} };
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

/**
 * The Salt Edge v3 apps API: header levels (Client-id + App-secret, + Customer-secret, +
 * Login-secret), request signatures verified with the registered app public key, customers
 * and logins with their secrets, paginated accounts and transactions, and signed callbacks.
 * Statuses the provider does not publish are this emulator's choice: 401 for a wrong or
 * missing header or signature, 400 for ExpiresAtInvalid, 404 for *NotFound of a resource.
 * Callbacks go to `options.callbackUrl`, `control.setCallbackUrl(url)` or, over HTTP with the
 * app's headers, `PUT /dashboard/callback_url { "data": { "url" } }` (sandbox only).
 */
export const saltedge: Emulator<SaltEdgeOptions, SaltEdgeControl> = {
  name: "saltedge",
  get demoCredentials() {
    return { ...CLIENT, privateKey: demoKeys().app.privatePem, callbackPublicKey: demoKeys().callback.publicPem };
  },
  create(options = {}) {
    const stats = createCounters();
    const router = createRouter();
    const algorithm = options.signatureAlgorithm ?? "sha256";
    const pageSize = options.pageSize ?? 10;
    // Resolved on first use, so starting the sandbox does not generate key pairs it may never need.
    let publicKey: string | undefined = options.publicKey;
    let requireSignature = options.requireSignature ?? false;
    let callbackUrl = options.callbackUrl;
    let rateLimited = { count: 0, retryAfter: 1 };
    const customers = new Map<string, Customer>(); // by secret
    const logins = new Map<string, Login>(); // by secret
    const sent: Array<{ kind: SaltEdgeCallbackKind; url: string; status: number }> = [];

    function verifySignature(req: EmulatorRequest, baseUrl: string): void {
      const expiresAt = req.headers["expires-at"];
      const signature = req.headers["signature"];
      if (expiresAt === undefined && signature === undefined) {
        if (requireSignature) fail(401, "MissingSignature", "Live clients must sign every request (Expires-at and Signature headers).", req);
        return;
      }
      if (typeof expiresAt !== "string") fail(401, "MissingExpiresAt", "The Expires-at header is required with Signature.", req);
      if (typeof signature !== "string") fail(401, "MissingSignature", "The Signature header is required with Expires-at.", req);
      const expires = Number(expiresAt);
      const now = Math.floor(Date.now() / 1000);
      if (!/^\d+$/.test(expiresAt) || expires > now + MAX_EXPIRES_IN) fail(400, "ExpiresAtInvalid", "Expires-at must be a UNIX time at most one hour from now.", req);
      if (expires < now) fail(401, "RequestExpired", "The request expired (Expires-at is in the past).", req);
      const key = publicKey ?? demoKeys().app.publicPem;
      const verifier = createVerify(algorithm === "sha1" ? "RSA-SHA1" : "RSA-SHA256");
      verifier.update(`${expiresAt}|${req.method.toUpperCase()}|${baseUrl}${req.url.pathname}${req.url.search}|`);
      verifier.update(req.body);
      if (!verifier.verify(key, signature, "base64")) fail(401, "SignatureNotMatch", "The signature does not match the request.", req);
    }

    function customerOf(req: EmulatorRequest): Customer {
      const value = req.headers["customer-secret"];
      const customer = typeof value === "string" ? customers.get(value) : undefined;
      if (!customer) fail(401, "CustomerNotFound", "No customer of this app has that Customer-secret.", req);
      return customer;
    }

    function loginOf(req: EmulatorRequest): Login {
      const customer = customerOf(req);
      const value = req.headers["login-secret"];
      const login = typeof value === "string" ? logins.get(value) : undefined;
      if (!login || login.customer_id !== customer.id) fail(401, "LoginNotFound", "No login of this customer has that Login-secret.", req);
      return login;
    }

    function page<T extends { id: string }>(req: EmulatorRequest, items: T[]) {
      const fromId = req.url.searchParams.get("from_id");
      const start = fromId === null ? 0 : items.findIndex((item) => item.id === fromId);
      if (start < 0) fail(400, "WrongRequestFormat", "from_id is not an id of this list.", req);
      const data = items.slice(start, start + pageSize);
      const next = items[start + pageSize];
      const query = new URLSearchParams(req.url.searchParams);
      if (next) query.set("from_id", next.id);
      return { data, meta: { next_id: next?.id ?? null, next_page: next ? `/api/v3${req.path}?${query}` : null } };
    }

    function dataOf<T>(req: EmulatorRequest): T {
      let body: { data?: T };
      try {
        body = JSON.parse(req.text()) as { data?: T };
      } catch {
        fail(400, "JsonParseError", "The request body is not valid JSON.", req);
      }
      if (typeof body !== "object" || body === null || typeof body.data !== "object" || body.data === null) {
        fail(400, "WrongRequestFormat", 'The request body must be { "data": { ... } }.', req);
      }
      return body.data;
    }

    async function sendCallback(kind: SaltEdgeCallbackKind, login: Login): Promise<number> {
      if (!callbackUrl) return 0;
      const url = callbackUrl;
      const data: Record<string, unknown> = { login_id: login.id, customer_id: login.customer_id, custom_fields: {} };
      if (kind === "notify") data.stage = "finish";
      if (kind === "fail") Object.assign(data, { error_class: login.last_fail_error_class, error_message: login.last_fail_message });
      const body = JSON.stringify({ data, meta: { version: "3", time: new Date().toISOString() } });
      const signature = sign("sha256", Buffer.from(`${url}|${body}`), demoKeys().callback.privateKey).toString("base64");
      let status = 0;
      try {
        const response = await fetch(url, { method: "POST", headers: { "content-type": "application/json", signature }, body });
        status = response.status;
        await response.body?.cancel();
      } catch {
        // An unreachable app is recorded with status 0, as Salt Edge would retry later.
      }
      sent.push({ kind, url, status });
      return status;
    }

    function connect(req: EmulatorRequest, login: Login, credentials: Record<string, unknown> | undefined) {
      const ok = credentials?.login === FAKE_BANK.login && credentials?.password === FAKE_BANK.password;
      const now = new Date().toISOString();
      login.updated_at = now;
      login.status = ok ? "active" : "inactive";
      login.last_fail_error_class = ok ? null : "InvalidCredentials";
      login.last_fail_message = ok ? null : "Invalid credentials for the fake bank (login: username, password: secret).";
      if (ok && login.accounts.length === 0) fakeData(login);
      login.attempts.push({ id: nextId(), success: ok, finished: true, fetch_type: "recent", fail_error_class: login.last_fail_error_class, fail_message: login.last_fail_message, created_at: now });
      // Salt Edge reports the outcome asynchronously, through callbacks.
      void sendCallback(ok ? "success" : "fail", login);
      return publicLogin(login, req.method === "POST");
    }

    const publicLogin = (login: Login, withSecret: boolean) => {
      const { secret: loginSecret, accounts: _a, transactions: _t, attempts: _at, ...rest } = login;
      return withSecret ? { ...rest, secret: loginSecret } : rest;
    };

    // Sandbox-only: the dashboard's "callback URL" setting, so an app that sees only the sandbox URL can receive callbacks.
    router.on("PUT", "/dashboard/callback_url", (req, res) => {
      const { url } = dataOf<{ url?: unknown }>(req);
      if (typeof url !== "string" || !/^https?:\/\//.test(url)) fail(400, "WrongRequestFormat", "data.url must be an http(s) URL.", req);
      callbackUrl = url;
      json(res, 200, { data: { callback_url: url } });
    });
    router.on("GET", "/countries", (_req, res) => json(res, 200, { data: COUNTRIES }));
    router.on("GET", "/providers", (req, res) => {
      const country = req.url.searchParams.get("country_code");
      json(res, 200, page(req, country ? PROVIDERS.filter((p) => p.country_code === country) : PROVIDERS));
    });
    router.on("GET", "/providers/:code", (req, res) => {
      const provider = PROVIDERS.find((p) => p.code === req.params.code);
      if (!provider) fail(404, "ProviderNotFound", `No provider with code ${req.params.code}.`, req);
      json(res, 200, { data: provider });
    });
    router.on("GET", "/customers", (req, res) => json(res, 200, page(req, [...customers.values()].map(({ secret: _s, ...c }) => c))));
    router.on("POST", "/customers", (req, res) => {
      const { identifier } = dataOf<{ identifier?: unknown }>(req);
      if (typeof identifier !== "string" || identifier === "") fail(400, "WrongRequestFormat", "data.identifier must be a non-empty string.", req);
      if ([...customers.values()].some((c) => c.identifier === identifier)) fail(409, "DuplicatedCustomer", `A customer with identifier ${identifier} exists.`, req);
      const customer = { id: nextId(), identifier, secret: secret(), created_at: new Date().toISOString() };
      customers.set(customer.secret, customer);
      stats.tokenIssued("customer_secret");
      json(res, 200, { data: customer });
    });
    router.on("DELETE", "/customers/:id", (req, res) => {
      const customer = [...customers.values()].find((c) => c.id === req.params.id);
      if (!customer) fail(404, "CustomerNotFound", `No customer with id ${req.params.id}.`, req);
      customers.delete(customer.secret);
      for (const [key, login] of logins) if (login.customer_id === customer.id) logins.delete(key);
      json(res, 200, { data: { deleted: true, id: customer.id } });
    });

    const connectToken = (req: EmulatorRequest, res: Parameters<typeof json>[0], baseUrl: string) => {
      dataOf(req);
      const token = secret();
      stats.tokenIssued("connect_token");
      json(res, 200, { data: { token, expires_at: new Date(Date.now() + 3_600_000).toISOString(), connect_url: `${baseUrl}/connect?token=${token}` } });
    };
    router.on("POST", "/tokens/create", (req, res, ctx) => (customerOf(req), connectToken(req, res, ctx.baseUrl)));
    router.on("POST", "/tokens/reconnect", (req, res, ctx) => (loginOf(req), connectToken(req, res, ctx.baseUrl)));
    router.on("POST", "/tokens/refresh", (req, res, ctx) => (loginOf(req), connectToken(req, res, ctx.baseUrl)));
    const oauth = (req: EmulatorRequest, res: Parameters<typeof json>[0], baseUrl: string) => {
      const { return_to } = dataOf<{ return_to?: string }>(req);
      stats.tokenIssued("oauth_token");
      json(res, 200, { data: { token: secret(), expires_at: new Date(Date.now() + 600_000).toISOString(), redirect_url: `${baseUrl}/oauth/authorize?return_to=${encodeURIComponent(return_to ?? "")}` } });
    };
    router.on("POST", "/oauth_providers/create", (req, res, ctx) => (customerOf(req), oauth(req, res, ctx.baseUrl)));
    router.on("POST", "/oauth_providers/reconnect", (req, res, ctx) => (loginOf(req), oauth(req, res, ctx.baseUrl)));
    router.on("POST", "/oauth_providers/refresh", (req, res, ctx) => (loginOf(req), oauth(req, res, ctx.baseUrl)));

    router.on("POST", "/login", (req, res) => {
      const customer = customerOf(req);
      const data = dataOf<{ provider_code?: string; country_code?: string; credentials?: Record<string, unknown> }>(req);
      const provider = PROVIDERS.find((p) => p.code === data.provider_code);
      if (!provider) fail(404, "ProviderNotFound", `No provider with code ${String(data.provider_code)}.`, req);
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
      logins.set(login.secret, login);
      stats.tokenIssued("login_secret");
      json(res, 200, { data: connect(req, login, data.credentials) });
    });
    router.on("GET", "/login", (req, res) => json(res, 200, { data: publicLogin(loginOf(req), false) }));
    router.on("DELETE", "/login", (req, res) => {
      const login = loginOf(req);
      logins.delete(login.secret);
      json(res, 200, { data: { deleted: true, id: login.id } });
    });
    router.on("PUT", "/login/reconnect", (req, res) => {
      const login = loginOf(req);
      json(res, 200, { data: connect(req, login, dataOf<{ credentials?: Record<string, unknown> }>(req).credentials) });
    });
    router.on("PUT", "/login/refresh", (req, res) => {
      const login = loginOf(req);
      json(res, 200, { data: connect(req, login, FAKE_BANK) });
    });
    router.on("PUT", "/login/interactive", (req, res) => {
      const login = loginOf(req);
      dataOf(req);
      json(res, 200, { data: publicLogin(login, false) });
    });

    router.on("GET", "/accounts", (req, res) => json(res, 200, page(req, loginOf(req).accounts)));
    const transactions = (status: string) => (req: EmulatorRequest, res: Parameters<typeof json>[0]) => {
      const login = loginOf(req);
      const accountId = req.url.searchParams.get("account_id");
      if (accountId !== null && !login.accounts.some((a) => a.id === accountId)) fail(404, "AccountNotFound", `No account ${accountId} in this login.`, req);
      json(res, 200, page(req, login.transactions.filter((t) => t.status === status && (accountId === null || t.account_id === accountId))));
    };
    router.on("GET", "/transactions", transactions("posted"));
    router.on("GET", "/transactions/pending", transactions("pending"));
    router.on("GET", "/attempts", (req, res) => json(res, 200, { data: loginOf(req).attempts }));
    router.on("GET", "/attempts/:id", (req, res) => {
      const attempt = loginOf(req).attempts.find((a) => a.id === req.params.id);
      if (!attempt) fail(404, "AttemptNotFound", `No attempt ${req.params.id} in this login.`, req);
      json(res, 200, { data: attempt });
    });

    return {
      stats,
      async handle(req, res, ctx) {
        try {
          if (rateLimited.count > 0) {
            rateLimited.count--;
            fail(429, "RateLimitExceeded", "Too many requests; retry later.", req, { "retry-after": String(rateLimited.retryAfter) });
          }
          if (req.headers["client-id"] !== CLIENT.clientId || req.headers["app-secret"] !== CLIENT.appSecret) {
            fail(401, "ClientNotFound", "No client with this Client-id and App-secret.", req);
          }
          verifySignature(req, ctx.baseUrl);
          await router.handle(req, res, ctx);
        } catch (error) {
          // The router's own 404/405 and JSON errors, in Salt Edge's error shape.
          if (error instanceof HttpError && !(typeof error.body === "object" && error.body !== null && "error_class" in error.body)) {
            fail(error.status, error.status === 404 || error.status === 405 ? "RouteNotFound" : "WrongRequestFormat", `${req.method} ${req.path} is not a Salt Edge route.`, req);
          }
          throw error;
        }
      },
      control: {
        registerPublicKey: (pem) => void (publicKey = pem),
        setRequireSignature: (required) => void (requireSignature = required),
        setCallbackUrl: (url) => void (callbackUrl = url),
        sendCallback(kind, loginId) {
          const login = [...logins.values()].find((l) => l.id === loginId);
          if (!login) return Promise.reject(new Error(`saltedge emulator: no login ${loginId}`));
          return sendCallback(kind, login);
        },
        get callbackPublicKey() {
          return demoKeys().callback.publicPem;
        },
        rateLimitNext: (count, retryAfterSeconds = 1) => void (rateLimited = { count, retryAfter: retryAfterSeconds }),
        callbacks: () => [...sent],
      },
      reset() {
        customers.clear();
        logins.clear();
        sent.length = 0;
        rateLimited = { count: 0, retryAfter: 1 };
        publicKey = options.publicKey;
        requireSignature = options.requireSignature ?? false;
        callbackUrl = options.callbackUrl;
      },
    };
  },
};

import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export const DEMO = { clientId: "ledgerly-demo-client", clientSecret: "ledgerly-demo-secret-5b1f" };

export interface LedgerlyServerOptions {
  /** Lifetime of issued tokens in seconds. */
  expiresIn?: number;
  /** Answer the next N API calls (not token calls) with this status before serving normally. */
  failNext?: { status: number; count: number };
  /** Entries booked before the first call, as `POST /entries` would book them (ids `ent-1`, `ent-2`, ...). */
  entries?: Array<{ date: string; label: string; lines: Array<{ accountId: string; debit: string; credit: string }> }>;
  /** A broken list: `GET /entries` hands back the cursor it was called with (the first page's next one). */
  repeatCursor?: boolean;
  /**
   * A careless provider: every authorized API call is refused with a 400 that quotes the request back, its headers
   * (the bearer token among them) and its body.
   */
  echo?: boolean;
}

/** What the fake Ledgerly saw: enough for tests to assert on the wire, not on the SDK's internals. */
export interface SeenRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage["headers"];
  body: string;
}

/** The chart of accounts, in chart order. */
const ACCOUNTS = [
  ["acc-101", "101", "Capital", "equity"],
  ["acc-401", "401", "Suppliers", "liability"],
  ["acc-512", "512", "Bank", "asset"],
  ["acc-613", "613", "Rent", "expense"],
  ["acc-706", "706", "Sales", "income"],
].map(([id, code, name, type]) => ({ id, code, name, type, balance: { amount: "0.00", currency: "EUR" } }));

/**
 * A tiny Ledgerly on 127.0.0.1: the token and revoke endpoints (client credentials, secret checked, tokens expire
 * and can be revoked) and the API routes of the spec. A third party's repo would not have @x's test helpers, so
 * this is plain node:http.
 */
export async function startLedgerlyServer(options: LedgerlyServerOptions = {}) {
  const seen: SeenRequest[] = [];
  const tokens = new Map<string, { expiresAt: number; scope: string }>();
  const entries = new Map<string, { id: string }>();
  const idempotency = new Map<string, string>();
  const issuedTokens: string[] = [];
  let failNext = options.failNext ? { ...options.failNext } : undefined;

  const send = (res: ServerResponse, status: number, body: unknown, requestId = `req-${seen.length}`) => {
    res.writeHead(status, { "content-type": "application/json", "x-request-id": requestId });
    res.end(JSON.stringify(body));
  };
  const fail = (res: ServerResponse, status: number, code: string, message: string) =>
    send(res, status, { error: { code, message } });
  const book = (entry: object) => {
    const id = `ent-${entries.size + 1}`;
    const booked = { ...entry, id, createdAt: new Date().toISOString() };
    entries.set(id, booked);
    return booked;
  };
  for (const entry of options.entries ?? []) book(entry);

  const handle = (req: SeenRequest, res: ServerResponse) => {
    if (req.method === "POST" && req.path === "/oauth/token") {
      const form = new URLSearchParams(req.body);
      if (form.get("grant_type") !== "client_credentials") return send(res, 400, { error: "unsupported_grant_type" });
      if (form.get("client_id") !== DEMO.clientId || form.get("client_secret") !== DEMO.clientSecret) {
        // Quoting the secret back is what careless token endpoints do; the SDK must never repeat it.
        const description = `unknown client or secret ${form.get("client_secret")}`;
        return send(res, 401, { error: "invalid_client", error_description: description });
      }
      const token = `lt-${issuedTokens.length + 1}-${Math.random().toString(36).slice(2)}`;
      const expiresIn = options.expiresIn ?? 3600;
      tokens.set(token, { expiresAt: Date.now() + expiresIn * 1000, scope: form.get("scope") ?? "" });
      issuedTokens.push(token);
      const scope = form.get("scope");
      return send(res, 200, { access_token: token, token_type: "Bearer", expires_in: expiresIn, scope });
    }
    if (req.method === "POST" && req.path === "/oauth/revoke") {
      tokens.delete(new URLSearchParams(req.body).get("token") ?? "");
      return send(res, 200, {});
    }
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? "")?.[1];
    const token = bearer === undefined ? undefined : tokens.get(bearer);
    if (!token || token.expiresAt <= Date.now()) {
      return fail(res, 401, "invalid_token", "the access token is missing, expired or revoked");
    }
    if (options.echo) {
      const message = `cannot serve ${req.method} ${req.path}?${req.query} with body ${req.body || "(none)"}`;
      const request = { headers: req.headers, body: req.body };
      return send(res, 400, { error: { code: "bad_request", message }, request });
    }
    if (failNext && failNext.count > 0) {
      failNext.count--;
      return fail(res, failNext.status, "unavailable", "try again");
    }
    if (req.method === "GET" && req.path === "/v1/accounts") {
      const type = req.query.get("type");
      const page = Number(req.query.get("page") ?? 1);
      const perPage = Number(req.query.get("perPage") ?? 100);
      const accounts = ACCOUNTS.filter((account) => !type || account.type === type);
      const pageCount = Math.ceil(accounts.length / perPage);
      const slice = accounts.slice((page - 1) * perPage, page * perPage);
      return send(res, 200, { accounts: slice, paging: { page, perPage, pageCount } });
    }
    if (req.method === "GET" && req.path === "/v1/entries") {
      const all = [...entries.values()];
      const after = req.query.get("after");
      const start = after === null ? 0 : all.findIndex((entry) => entry.id === after.slice("cur-".length)) + 1;
      if (after !== null && (!after.startsWith("cur-") || start === 0)) {
        return fail(res, 400, "invalid_cursor", "the cursor is not one Ledgerly gave");
      }
      const page = all.slice(start, start + Number(req.query.get("limit") ?? 50));
      const last = page.at(-1);
      const more = last !== undefined && all.at(-1) !== last;
      const nextCursor = options.repeatCursor && after !== null ? after : more ? `cur-${last.id}` : null;
      return send(res, 200, { entries: page, nextCursor });
    }
    if (req.method === "POST" && req.path === "/v1/entries") {
      if (!token.scope.split(" ").includes("ledger.write")) {
        return fail(res, 403, "insufficient_scope", "posting needs ledger.write");
      }
      const key = req.headers["idempotency-key"];
      const replayed = typeof key === "string" ? idempotency.get(key) : undefined;
      if (replayed) return send(res, 201, entries.get(replayed));
      const entry = JSON.parse(req.body) as { lines: Array<{ debit: string; credit: string }> };
      const sum = (field: "debit" | "credit") => entry.lines.reduce((total, line) => total + Number(line[field]), 0);
      if (sum("debit") !== sum("credit")) return fail(res, 422, "unbalanced_entry", "debits and credits differ");
      const booked = book(entry);
      if (typeof key === "string") idempotency.set(key, booked.id);
      return send(res, 201, booked);
    }
    const entryId = /^\/v1\/entries\/([^/]+)$/.exec(req.path)?.[1];
    if (req.method === "GET" && entryId) {
      const entry = entries.get(entryId);
      return entry ? send(res, 200, entry) : fail(res, 404, "not_found", `no entry ${entryId}`);
    }
    return fail(res, 404, "not_found", `${req.method} ${req.path} is not a Ledgerly route`);
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "http://127.0.0.1");
      const body = Buffer.concat(chunks).toString("utf8");
      const { pathname: path, searchParams: query } = url;
      const recorded = { method: req.method ?? "GET", path, query, headers: req.headers, body };
      seen.push(recorded);
      handle(recorded, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    apiUrl: `${url}/v1`,
    tokenUrl: `${url}/oauth/token`,
    seen,
    tokenRequests: () => seen.filter((r) => r.path === "/oauth/token"),
    /** Every access token issued so far (revoked and expired ones included), for secret searches. */
    issuedTokens: () => [...issuedTokens],
    /** Forgets every issued token, as if they had all expired. */
    expireAllTokens: () => tokens.clear(),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export type LedgerlyServer = Awaited<ReturnType<typeof startLedgerlyServer>>;

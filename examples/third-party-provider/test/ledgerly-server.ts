import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export const DEMO = { clientId: "ledgerly-demo-client", clientSecret: "ledgerly-demo-secret-5b1f" };

export interface LedgerlyServerOptions {
  /** Lifetime of issued tokens in seconds. */
  expiresIn?: number;
  /** Answer the next N API calls (not token calls) with this status before serving normally. */
  failNext?: { status: number; count: number };
}

/** What the fake Ledgerly saw: enough for tests to assert on the wire, not on the SDK's internals. */
export interface SeenRequest {
  method: string;
  path: string;
  headers: IncomingMessage["headers"];
  body: string;
}

/**
 * A tiny Ledgerly on 127.0.0.1: the token and revoke endpoints (client credentials, secret checked, tokens expire
 * and can be revoked) and the three API routes of the spec. A third party's repo would not have @x's test helpers,
 * so this is plain node:http.
 */
export async function startLedgerlyServer(options: LedgerlyServerOptions = {}) {
  const seen: SeenRequest[] = [];
  const tokens = new Map<string, { expiresAt: number; scope: string }>();
  const entries = new Map<string, unknown>();
  const idempotency = new Map<string, string>();
  let issued = 0;
  let failNext = options.failNext ? { ...options.failNext } : undefined;

  const send = (res: ServerResponse, status: number, body: unknown, requestId = `req-${seen.length}`) => {
    res.writeHead(status, { "content-type": "application/json", "x-request-id": requestId });
    res.end(JSON.stringify(body));
  };
  const fail = (res: ServerResponse, status: number, code: string, message: string) => send(res, status, { error: { code, message } });

  const handle = (req: SeenRequest, res: ServerResponse) => {
    if (req.method === "POST" && req.path === "/oauth/token") {
      const form = new URLSearchParams(req.body);
      if (form.get("grant_type") !== "client_credentials") return send(res, 400, { error: "unsupported_grant_type" });
      if (form.get("client_id") !== DEMO.clientId || form.get("client_secret") !== DEMO.clientSecret) {
        // Quoting the secret back is what careless token endpoints do; the SDK must never repeat it.
        return send(res, 401, { error: "invalid_client", error_description: `unknown client or secret ${form.get("client_secret")}` });
      }
      const token = `lt-${++issued}-${Math.random().toString(36).slice(2)}`;
      tokens.set(token, { expiresAt: Date.now() + (options.expiresIn ?? 3600) * 1000, scope: form.get("scope") ?? "" });
      return send(res, 200, { access_token: token, token_type: "Bearer", expires_in: options.expiresIn ?? 3600, scope: form.get("scope") });
    }
    if (req.method === "POST" && req.path === "/oauth/revoke") {
      tokens.delete(new URLSearchParams(req.body).get("token") ?? "");
      return send(res, 200, {});
    }
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? "")?.[1];
    const token = bearer === undefined ? undefined : tokens.get(bearer);
    if (!token || token.expiresAt <= Date.now()) return fail(res, 401, "invalid_token", "the access token is missing, expired or revoked");
    if (failNext && failNext.count > 0) {
      failNext.count--;
      return fail(res, failNext.status, "unavailable", "try again");
    }
    if (req.method === "GET" && req.path === "/v1/accounts") {
      return send(res, 200, { accounts: [{ id: "acc-512", code: "512", name: "Bank", type: "asset", balance: { amount: "1200.00", currency: "EUR" } }] });
    }
    if (req.method === "POST" && req.path === "/v1/entries") {
      if (!token.scope.split(" ").includes("ledger.write")) return fail(res, 403, "insufficient_scope", "posting needs ledger.write");
      const key = req.headers["idempotency-key"];
      const replayed = typeof key === "string" ? idempotency.get(key) : undefined;
      if (replayed) return send(res, 201, entries.get(replayed));
      const entry = JSON.parse(req.body) as { lines: Array<{ debit: string; credit: string }> };
      const sum = (field: "debit" | "credit") => entry.lines.reduce((total, line) => total + Number(line[field]), 0);
      if (sum("debit") !== sum("credit")) return fail(res, 422, "unbalanced_entry", "debits and credits differ");
      const id = `ent-${entries.size + 1}`;
      const booked = { ...entry, id, createdAt: new Date().toISOString() };
      entries.set(id, booked);
      if (typeof key === "string") idempotency.set(key, id);
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
      const recorded = { method: req.method ?? "GET", path: (req.url ?? "/").split("?")[0] ?? "/", headers: req.headers, body: Buffer.concat(chunks).toString("utf8") };
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

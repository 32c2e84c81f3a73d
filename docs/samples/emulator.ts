// packages/sandbox/src/emulators/acme.ts: Acme's emulator, registered with one line in src/emulators/index.ts.
// Inside @x/sandbox the kit comes from "../emulator.js"; it is also exported by @x/sandbox, as imported here.
import {
  createCounters,
  failWith,
  json,
  oauthFail,
  routeTable,
  sameSecret,
  type Counters,
  type Emulator,
  type EmulatorRequest,
  type RouteTable,
} from "@x/sandbox";

export interface AcmeEmulatorOptions {
  /** Lifetime of issued access tokens, in seconds. */
  tokenTtlSeconds?: number;
}

export interface AcmeEmulatorControl {
  /** Revokes the demo API key: calls with it get Acme's 403 `key_revoked`. */
  revokeKey(): void;
}

const demoCredentials = { apiKey: "acme-demo-key", clientId: "acme-demo-client", clientSecret: "acme-demo-secret" };

/** Everything one emulator instance knows; `create()` builds it and `reset()` clears it. */
interface State {
  ttl: number;
  stats: Counters;
  /** access token -> expiry (ms since epoch) */
  tokens: Map<string, number>;
  keyRevoked: boolean;
  entries: Array<{ id: string; date: string; label: string; lines: never[]; createdAt: string }>;
}

/** Acme's error body, `{ error: { code, message } }`: every handler fails with `throw fail(status, code, message)`. */
const fail = failWith((_status, code: string, message: string) => ({ error: { code, message } }));

/** Acme's rules: a live bearer token, or the API key (compared in constant time), unless it was revoked. */
function authorize(state: State, req: EmulatorRequest): void {
  const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? "")?.[1];
  if (bearer !== undefined && (state.tokens.get(bearer) ?? 0) > Date.now()) return;
  if (!sameSecret(req.headers["x-api-key"], demoCredentials.apiKey)) {
    throw fail(401, "invalid_credentials", "unknown API key").withHeaders({ "www-authenticate": "ApiKey" });
  }
  if (state.keyRevoked) throw fail(403, "key_revoked", "this API key was revoked");
}

const ACCOUNTS = [
  ["512", "Bank", "asset"],
  ["601", "Purchases", "expense"],
  ["706", "Sales", "income"],
] as const;

/** One small handler per method and path, each `(state, req, res, ctx)`; unknown paths get 404, other methods 405. */
const routes: RouteTable<State> = {
  "POST /oauth/token": (state, req, res) => {
    const form = req.form();
    if (form.get("grant_type") !== "client_credentials") throw oauthFail(400, "unsupported_grant_type");
    // Both compared, always, so the time taken does not tell which one was wrong.
    const idOk = sameSecret(form.get("client_id"), demoCredentials.clientId);
    const secretOk = sameSecret(form.get("client_secret"), demoCredentials.clientSecret);
    if (!idOk || !secretOk) throw oauthFail(401, "invalid_client", "unknown client or wrong secret");
    const token = crypto.randomUUID();
    state.tokens.set(token, Date.now() + state.ttl * 1000);
    state.stats.tokenIssued("access");
    json(res, 200, { access_token: token, token_type: "Bearer", expires_in: state.ttl });
  },
  "GET /accounts": (state, req, res) => {
    authorize(state, req);
    const page = Number(req.url.searchParams.get("page") ?? 1);
    const perPage = Number(req.url.searchParams.get("perPage") ?? 100);
    const all = ACCOUNTS.map(([code, name, type]) => ({ id: `acc-${code}`, code, name, type }));
    const accounts = all.slice((page - 1) * perPage, page * perPage).map((account) => ({
      ...account,
      balance: { amount: "0.00", currency: "EUR" },
    }));
    json(res, 200, { accounts, paging: { page, perPage, pageCount: Math.ceil(all.length / perPage) } });
  },
  "GET /entries/:entryId": (state, req, res) => {
    authorize(state, req);
    const entry = state.entries.find((candidate) => candidate.id === req.params.entryId);
    if (!entry) throw fail(404, "not_found", `no entry ${req.params.entryId}`);
    json(res, 200, entry);
  },
};

export const acme: Emulator<AcmeEmulatorOptions, AcmeEmulatorControl, typeof demoCredentials> = {
  name: "acme",
  demoCredentials,
  create(options = {}) {
    const state: State = {
      ttl: options.tokenTtlSeconds ?? 3600,
      stats: createCounters(),
      tokens: new Map(),
      keyRevoked: false,
      entries: [{ id: "ent-1", date: "2026-01-31", label: "Rent", lines: [], createdAt: "2026-01-31T09:00:00Z" }],
    };
    return {
      handle: routeTable(routes, state),
      stats: state.stats,
      control: { revokeKey: () => void (state.keyRevoked = true) },
      // Counters and faults are reset by the sandbox; the emulator forgets what it issued and changed.
      reset: () => {
        state.tokens.clear();
        state.keyRevoked = false;
      },
    };
  },
};

import { randomUUID } from "node:crypto";
import { createCounters, json, oauthFail, routeTable, sameSecret } from "../emulator.js";
import type { Counters, Emulator, RouteTable } from "../emulator.js";

export interface EchoOptions {
  /** Lifetime of issued access tokens, in seconds. */
  tokenTtlSeconds?: number;
}

export interface EchoControl {
  /** Makes every issued token invalid, as if it had expired; the next call gets a 401. */
  expireAllTokens(): void;
}

const demoCredentials = { clientId: "echo-demo-client", clientSecret: "echo-demo-secret" };

interface State {
  ttl: number;
  stats: Counters;
  /** token -> expiry (ms since epoch) */
  tokens: Map<string, number>;
}

const routes: RouteTable<State> = {
  "POST /oauth/token": (state, req, res) => {
    const form = req.form();
    if (form.get("grant_type") !== "client_credentials") throw oauthFail(400, "unsupported_grant_type");
    // Both compared, always, so the answer time does not tell which of the two was wrong.
    const idOk = sameSecret(form.get("client_id"), demoCredentials.clientId);
    const secretOk = sameSecret(form.get("client_secret"), demoCredentials.clientSecret);
    if (!idOk || !secretOk) throw oauthFail(401, "invalid_client", "unknown client or wrong secret");
    const token = randomUUID();
    state.tokens.set(token, Date.now() + state.ttl * 1000);
    state.stats.tokenIssued("access");
    json(res, 200, { access_token: token, token_type: "Bearer", expires_in: state.ttl });
  },
  "POST /echo": (state, req, res) => {
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? "")?.[1];
    const expiresAt = token === undefined ? undefined : state.tokens.get(token);
    if (expiresAt === undefined || expiresAt <= Date.now()) {
      throw oauthFail(401, "invalid_token").withHeaders({ "www-authenticate": 'Bearer error="invalid_token"' });
    }
    const query = Object.fromEntries(req.url.searchParams);
    json(res, 200, { method: req.method, path: req.path, query, body: req.text() });
  },
};

/**
 * The smallest complete emulator: an OAuth2 client-credentials token endpoint and one protected route that
 * echoes the request. It exercises every sandbox feature, so the runner is tested before real providers exist.
 */
export const echo: Emulator<EchoOptions, EchoControl, typeof demoCredentials> = {
  name: "echo",
  demoCredentials,
  create(options = {}) {
    const state: State = { ttl: options.tokenTtlSeconds ?? 3600, stats: createCounters(), tokens: new Map() };
    return {
      handle: routeTable(routes, state),
      stats: state.stats,
      control: { expireAllTokens: () => state.tokens.clear() },
      reset: () => state.tokens.clear(),
    };
  },
};

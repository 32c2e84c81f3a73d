import { randomUUID } from "node:crypto";
import { HttpError, createCounters, createRouter, json, type Emulator } from "../emulator.js";

export interface EchoOptions {
  /** Lifetime of issued access tokens, in seconds. */
  tokenTtlSeconds?: number;
}

export interface EchoControl {
  /** Makes every issued token invalid, as if it had expired; the next call gets a 401. */
  expireAllTokens(): void;
}

const demoCredentials = { clientId: "echo-demo-client", clientSecret: "echo-demo-secret" };

/**
 * The smallest complete emulator: an OAuth2 client-credentials token endpoint and one protected route that
 * echoes the request. It exercises every sandbox feature, so the runner is tested before real providers exist.
 */
export const echo: Emulator<EchoOptions, EchoControl> = {
  name: "echo",
  demoCredentials,
  create(options = {}) {
    const ttl = options.tokenTtlSeconds ?? 3600;
    const stats = createCounters();
    const tokens = new Map<string, number>(); // token -> expiry (ms since epoch)
    const router = createRouter();

    router.on("POST", "/oauth/token", (req, res) => {
      const form = req.form();
      if (form.get("grant_type") !== "client_credentials") {
        throw new HttpError(400, { error: "unsupported_grant_type" });
      }
      if (form.get("client_id") !== demoCredentials.clientId || form.get("client_secret") !== demoCredentials.clientSecret) {
        throw new HttpError(401, { error: "invalid_client", error_description: "unknown client or wrong secret" });
      }
      const token = randomUUID();
      tokens.set(token, Date.now() + ttl * 1000);
      stats.tokenIssued("access");
      json(res, 200, { access_token: token, token_type: "Bearer", expires_in: ttl });
    });

    router.on("POST", "/echo", (req, res) => {
      const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? "")?.[1];
      const expiresAt = token === undefined ? undefined : tokens.get(token);
      if (expiresAt === undefined || expiresAt <= Date.now()) {
        throw new HttpError(401, { error: "invalid_token" }, { "www-authenticate": 'Bearer error="invalid_token"' });
      }
      json(res, 200, { method: req.method, path: req.path, query: Object.fromEntries(req.url.searchParams), body: req.text() });
    });

    return {
      handle: router.handle,
      stats,
      control: {
        expireAllTokens: () => tokens.clear(),
      },
      reset: () => tokens.clear(),
    };
  },
};

import { randomUUID } from "node:crypto";
import { createCounters, json, routeTable, sameSecret } from "../emulator.js";
import type { Emulator, EmulatorRequest, RouteTable } from "../emulator.js";
import { documentRoutes } from "./sfs-documents.js";
import {
  type SfsTokenKind,
  type State,
  demoCredentials,
  envelope,
  fail,
  placeholdersIn,
  platformCaller,
  stamp,
  unknownAction,
} from "./sfs-state.js";

export type { SfsTokenKind } from "./sfs-state.js";

export interface SfsOptions {
  /** Lifetime of platform tokens, in seconds (1800 on the real platform). */
  platformTokenTtlSeconds?: number;
  /** Lifetime of client tokens, in seconds (1800 on the real platform). */
  clientTokenTtlSeconds?: number;
}

export interface SfsControl {
  /** Registers a client key of the demo platform, as `/api/client` create would. */
  addClient(clientKey: string): void;
  /** Makes every issued token of that kind (all kinds by default) fail with 401 at once, as if it had expired. */
  expireTokens(kind?: SfsTokenKind): void;
  /** Replaces the platform secret: tokens already issued stay valid, the old secret is refused (403). */
  rotateSecret(secret: string): void;
}

function addClient(state: State, clientKey: string): void {
  if (state.clients.has(clientKey)) return;
  const templateKey = `${clientKey}-tpl-1`;
  const value = "<p>{{Company Name}} and {{Partner Name}} agree...</p>";
  const time = stamp();
  const placeholders = placeholdersIn(state, templateKey, value);
  const templates = [{ templateKey, name: "Mutual NDA", value, createTime: time, changeTime: time, placeholders }];
  state.clients.set(clientKey, { clientKey, createTime: time, templates, contracts: new Map() });
}

/** The demo platform's two clients, as at start and after `reset()`. */
function seed(state: State): void {
  state.clients.clear();
  state.nextId = 1;
  addClient(state, demoCredentials.clientKey);
  addClient(state, demoCredentials.clientKey2);
}

function issue(state: State, kind: SfsTokenKind, ttl: number, clientKey?: string) {
  const token = `sfs_${kind === "platform" ? "pt" : "ct"}_${randomUUID()}`;
  state.tokens.set(token, { kind, expiresAt: Date.now() + ttl * 1000, ...(clientKey ? { clientKey } : {}) });
  state.stats.tokenIssued(kind);
  return { access_token: token, token_type: "Bearer", expires_in: ttl };
}

/** The platform bearer of a token request (the token endpoint knows no API key mode). */
function platformBearer(state: State, req: EmulatorRequest): string {
  if (req.headers["x-sendforsign-key"] !== undefined)
    throw fail(400, "Bad request: /api/token takes the platform bearer");
  const { token } = platformCaller(state, req);
  return token as string;
}

const routes: RouteTable<State> = {
  "POST /api/token": (state, req, res) => {
    const data = envelope(req);
    if (data.action === "create" && data.apiKey !== undefined) {
      // Both compared, always, so the answer time does not tell which of the two was wrong.
      const keyOk = sameSecret(data.apiKey, demoCredentials.apiKey);
      const secretOk = sameSecret(data.secret, state.secret);
      if (!keyOk || !secretOk) throw fail(403, "Forbidden: invalid apiKey or secret");
      return json(res, 201, issue(state, "platform", state.platformTtl));
    }
    if (data.action === "create" && data.clientKey !== undefined) {
      platformBearer(state, req);
      if (typeof data.clientKey !== "string" || !state.clients.has(data.clientKey)) {
        throw fail(404, "Not found: unknown clientKey");
      }
      return json(res, 201, issue(state, "client", state.clientTtl, data.clientKey));
    }
    if (data.action === "create") throw fail(400, "Bad request: create needs apiKey and secret, or clientKey");
    if (data.action === "revoke") {
      const token = platformBearer(state, req);
      // Like RFC 7009, revoking a client token that is unknown or already expired succeeds: the goal holds.
      if (data.accessToken !== undefined) {
        const revoked = String(data.accessToken);
        if (state.tokens.get(revoked)?.kind === "client") state.tokens.delete(revoked);
        return json(res, 201, { code: "201", message: "Client token revoked" });
      }
      state.tokens.delete(token);
      return json(res, 201, { code: "201", message: "Platform token revoked" });
    }
    throw unknownAction(data.action);
  },

  "POST /api/client": (state, req, res) => {
    platformCaller(state, req);
    const data = envelope(req);
    if (data.action === "list") {
      const clients = [...state.clients.values()].map(({ clientKey, createTime }) => ({
        clientKey,
        createTime,
        changeTime: createTime,
      }));
      return json(res, 200, { clients, code: "200", message: "Clients found" });
    }
    if (data.action === "create") {
      const clientKey = randomUUID();
      addClient(state, clientKey);
      const client = { clientKey, createTime: stamp(), users: [{ userKey: randomUUID(), default: true }] };
      return json(res, 201, { client, code: "201", message: "Client created" });
    }
    throw unknownAction(data.action);
  },

  ...documentRoutes,
};

/**
 * The SFS API platform (Sendforsign): one `POST /api/token` endpoint issuing platform tokens for apiKey +
 * secret and client tokens for a registered clientKey (platform bearer required), revocation of both
 * (a revoked token gets 401 at once), and the business resources of the spec. Calls are authorized by a token or by
 * the API key in `X-Sendforsign-Key` (client-level calls then name their client with `clientKey`). `/api/client`
 * takes the platform token; the client-level resources take that client's token. Revoking the platform token leaves
 * the client tokens it issued valid: the public docs do not say otherwise.
 */
export const sfs: Emulator<SfsOptions, SfsControl, typeof demoCredentials> = {
  name: "sfs",
  demoCredentials,
  create(options = {}) {
    const state: State = {
      platformTtl: options.platformTokenTtlSeconds ?? 1800,
      clientTtl: options.clientTokenTtlSeconds ?? 1800,
      stats: createCounters(),
      tokens: new Map(),
      secret: demoCredentials.secret,
      clients: new Map(),
      nextId: 1,
    };
    seed(state);
    return {
      handle: routeTable(routes, state),
      stats: state.stats,
      control: {
        addClient: (clientKey) => addClient(state, clientKey),
        expireTokens(kind) {
          for (const [token, issued] of state.tokens) {
            if (kind === undefined || issued.kind === kind) state.tokens.delete(token);
          }
        },
        rotateSecret(next) {
          state.secret = next;
        },
      },
      reset() {
        state.tokens.clear();
        state.secret = demoCredentials.secret;
        seed(state);
      },
    };
  },
};

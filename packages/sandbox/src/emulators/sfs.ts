import { randomUUID } from "node:crypto";
import { createCounters, failWith, json, routeTable, sameSecret } from "../emulator.js";
import type { Counters, Emulator, EmulatorRequest, RouteTable } from "../emulator.js";

export interface SfsOptions {
  /** Lifetime of platform tokens, in seconds (1800 on the real platform). */
  platformTokenTtlSeconds?: number;
  /** Lifetime of client tokens, in seconds (1800 on the real platform). */
  clientTokenTtlSeconds?: number;
}

export type SfsTokenKind = "platform" | "client";

export interface SfsControl {
  /** Registers a client key of the demo platform, as `/api/client` create would. */
  addClient(clientKey: string): void;
  /** Makes every issued token of that kind (all kinds by default) fail with 401 at once, as if it had expired. */
  expireTokens(kind?: SfsTokenKind): void;
  /** Replaces the platform secret: tokens already issued stay valid, the old secret is refused (403). */
  rotateSecret(secret: string): void;
}

const demoCredentials = {
  apiKey: "sfs-demo-api-key",
  secret: "sfs-demo-secret",
  clientKey: "sfs-demo-client-1",
  clientKey2: "sfs-demo-client-2",
};

interface IssuedToken {
  kind: SfsTokenKind;
  expiresAt: number;
  clientKey?: string;
}

interface Template {
  templateKey: string;
  name: string;
  value: string;
  createTime: string;
}

interface Client {
  templates: Template[];
  contracts: Map<string, Set<string>>;
}

interface State {
  platformTtl: number;
  clientTtl: number;
  stats: Counters;
  tokens: Map<string, IssuedToken>;
  secret: string;
  clients: Map<string, Client>;
}

const stamp = () => new Date().toISOString().slice(0, 19).replace("T", " ");
/** SFS answers carry the status again as a string in `code`, beside `message`. */
const fail = failWith((status, message: string) => ({ code: String(status), message }));
const unknownAction = (action: unknown) => fail(400, `Bad request: unknown action ${JSON.stringify(action)}`);

function addClient(state: State, clientKey: string): void {
  if (state.clients.has(clientKey)) return;
  const templateKey = `${clientKey}-tpl-1`;
  const value = "<p>{{Company Name}} and {{Partner Name}} agree...</p>";
  const templates = [{ templateKey, name: "Mutual NDA", value, createTime: stamp() }];
  state.clients.set(clientKey, { templates, contracts: new Map() });
}

/** The demo platform's two clients, as at start and after `reset()`. */
function seed(state: State): void {
  state.clients.clear();
  addClient(state, demoCredentials.clientKey);
  addClient(state, demoCredentials.clientKey2);
}

function issue(state: State, kind: SfsTokenKind, ttl: number, clientKey?: string) {
  const token = `sfs_${kind === "platform" ? "pt" : "ct"}_${randomUUID()}`;
  state.tokens.set(token, { kind, expiresAt: Date.now() + ttl * 1000, ...(clientKey ? { clientKey } : {}) });
  state.stats.tokenIssued(kind);
  return { access_token: token, token_type: "Bearer", expires_in: ttl };
}

/** The bearer of the request, which must be live; 401 otherwise, as SFS does for a missing or expired token. */
function bearer(state: State, req: EmulatorRequest): { token: string; issued: IssuedToken } {
  const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? "")?.[1];
  const issued = token === undefined ? undefined : state.tokens.get(token);
  if (token === undefined || issued === undefined || issued.expiresAt <= Date.now()) {
    throw fail(401, "Unauthorized: the bearer token is missing, expired or revoked");
  }
  return { token, issued };
}

function platformBearer(state: State, req: EmulatorRequest) {
  const found = bearer(state, req);
  if (found.issued.kind !== "platform") throw fail(403, "Forbidden: this call needs the platform token");
  return found;
}

function clientOf(state: State, req: EmulatorRequest): Client {
  const { issued } = bearer(state, req);
  const client = issued.kind === "client" && issued.clientKey ? state.clients.get(issued.clientKey) : undefined;
  if (!client) throw fail(403, "Forbidden: this call needs a client token");
  return client;
}

/** SFS wraps every request body as `{ data: { action, ... } }`. */
function envelope(req: EmulatorRequest): Record<string, unknown> & { action?: unknown } {
  const data = req.json<{ data?: unknown }>()?.data;
  if (data === null || typeof data !== "object") {
    throw fail(400, "Bad request: the body must be { data: { action, ... } }");
  }
  return data as Record<string, unknown>;
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
      const { token } = platformBearer(state, req);
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
    platformBearer(state, req);
    const data = envelope(req);
    if (data.action === "list")
      return json(
        res,
        200,
        [...state.clients.keys()].map((clientKey) => ({ clientKey })),
      );
    if (data.action === "create") {
      const clientKey = randomUUID();
      addClient(state, clientKey);
      const client = { clientKey, createTime: stamp(), users: [{ userKey: randomUUID(), default: true }] };
      return json(res, 201, { client, code: "201", message: "Client created" });
    }
    throw unknownAction(data.action);
  },

  "POST /api/template": (state, req, res) => {
    const client = clientOf(state, req);
    const data = envelope(req);
    if (data.action === "list") {
      return json(
        res,
        200,
        client.templates.map(({ templateKey, name, createTime }) => ({ templateKey, name, createTime })),
      );
    }
    if (data.action === "read") {
      const key = (data.template as { templateKey?: unknown } | undefined)?.templateKey;
      const template = client.templates.find((t) => t.templateKey === key);
      if (!template) throw fail(404, "Not found: unknown templateKey");
      return json(res, 200, { template, code: "200", message: "Template found" });
    }
    throw unknownAction(data.action);
  },

  "POST /api/placeholder": (state, req, res) => {
    const client = clientOf(state, req);
    const data = envelope(req);
    if (data.action !== "list") throw unknownAction(data.action);
    const template = client.templates.find((t) => t.templateKey === data.templateKey);
    if (!template) throw fail(404, "Not found: unknown templateKey");
    const names = [...template.value.matchAll(/\{\{([^}]+)\}\}/g)].map((m) => m[1] as string);
    const placeholderKey = (i: number) => `${template.templateKey}-ph-${i + 1}`;
    json(
      res,
      200,
      names.map((name, i) => ({ placeholderKey: placeholderKey(i), name, value: "" })),
    );
  },

  "POST /api/contract": (state, req, res) => {
    const client = clientOf(state, req);
    const data = envelope(req);
    if (data.action !== "create") throw unknownAction(data.action);
    const name = (data.contract as { name?: unknown } | undefined)?.name;
    if (typeof name !== "string" || name === "") throw fail(400, "Bad request: contract.name is required");
    const contractKey = randomUUID();
    client.contracts.set(contractKey, new Set([`${contractKey}-rcp-1`]));
    json(res, 201, { contract: { contractKey, createTime: stamp() }, code: "201", message: "Contract created" });
  },

  "POST /api/recipient": (state, req, res) => {
    const client = clientOf(state, req);
    const data = envelope(req);
    if (data.action !== "delete") throw unknownAction(data.action);
    const recipients = client.contracts.get(String(data.contractKey));
    const recipientKey = String((data.recipient as { recipientKey?: unknown } | undefined)?.recipientKey);
    if (!recipients?.delete(recipientKey)) throw fail(404, "Not found: unknown contractKey or recipientKey");
    json(res, 200, { code: "200", message: "Recipient deleted" });
  },
};

/**
 * The SFS API platform (Sendforsign): one `POST /api/token` endpoint issuing platform tokens for apiKey +
 * secret and client tokens for a registered clientKey (platform bearer required), revocation of both
 * (a revoked token gets 401 at once), and the business resources of the spec. `/api/client` takes the
 * platform token; the client-scoped resources take that client's token. Revoking the platform token
 * leaves the client tokens it issued valid: the public docs do not say otherwise.
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

import { randomUUID } from "node:crypto";
import { HttpError, createCounters, createRouter, json, type Emulator, type EmulatorRequest } from "../emulator.js";

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

const stamp = () => new Date().toISOString().slice(0, 19).replace("T", " ");
/** SFS answers carry the status again as a string in `code`, beside `message`. */
const fail = (status: number, message: string) => new HttpError(status, { code: String(status), message });

/**
 * The SFS API platform (Sendforsign): one `POST /api/token` endpoint issuing platform tokens for apiKey +
 * secret and client tokens for a registered clientKey (platform bearer required), revocation of both
 * (a revoked token gets 401 at once), and the business resources of the spec. `/api/client` takes the
 * platform token; the client-scoped resources take that client's token. Revoking the platform token
 * leaves the client tokens it issued valid: the public docs do not say otherwise.
 */
export const sfs: Emulator<SfsOptions, SfsControl> = {
  name: "sfs",
  demoCredentials,
  create(options = {}) {
    const platformTtl = options.platformTokenTtlSeconds ?? 1800;
    const clientTtl = options.clientTokenTtlSeconds ?? 1800;
    const stats = createCounters();
    const tokens = new Map<string, IssuedToken>();
    let secret = demoCredentials.secret;
    const clients = new Map<string, { templates: Template[]; contracts: Map<string, Set<string>> }>();
    const addClient = (clientKey: string) => {
      if (clients.has(clientKey)) return;
      const templateKey = `${clientKey}-tpl-1`;
      clients.set(clientKey, {
        templates: [{ templateKey, name: "Mutual NDA", value: "<p>{{Company Name}} and {{Partner Name}} agree...</p>", createTime: stamp() }],
        contracts: new Map(),
      });
    };
    const seed = () => {
      clients.clear();
      addClient(demoCredentials.clientKey);
      addClient(demoCredentials.clientKey2);
    };
    seed();
    const router = createRouter();

    const issue = (kind: SfsTokenKind, ttl: number, clientKey?: string) => {
      const token = `sfs_${kind === "platform" ? "pt" : "ct"}_${randomUUID()}`;
      tokens.set(token, { kind, expiresAt: Date.now() + ttl * 1000, ...(clientKey ? { clientKey } : {}) });
      stats.tokenIssued(kind);
      return { access_token: token, token_type: "Bearer", expires_in: ttl };
    };

    /** The bearer of the request, which must be live; 401 otherwise, as SFS does for a missing or expired token. */
    const bearer = (req: EmulatorRequest): { token: string; issued: IssuedToken } => {
      const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? "")?.[1];
      const issued = token === undefined ? undefined : tokens.get(token);
      if (token === undefined || issued === undefined || issued.expiresAt <= Date.now()) {
        throw fail(401, "Unauthorized: the bearer token is missing, expired or revoked");
      }
      return { token, issued };
    };
    const platformBearer = (req: EmulatorRequest) => {
      const found = bearer(req);
      if (found.issued.kind !== "platform") throw fail(403, "Forbidden: this call needs the platform token");
      return found;
    };
    const clientOf = (req: EmulatorRequest) => {
      const { issued } = bearer(req);
      const client = issued.kind === "client" && issued.clientKey ? clients.get(issued.clientKey) : undefined;
      if (!client) throw fail(403, "Forbidden: this call needs a client token");
      return client;
    };
    const envelope = (req: EmulatorRequest): Record<string, unknown> & { action?: unknown } => {
      const data = req.json<{ data?: unknown }>()?.data;
      if (data === null || typeof data !== "object") throw fail(400, "Bad request: the body must be { data: { action, ... } }");
      return data as Record<string, unknown>;
    };
    const unknownAction = (action: unknown) => fail(400, `Bad request: unknown action ${JSON.stringify(action)}`);

    router.on("POST", "/api/token", (req, res) => {
      const data = envelope(req);
      if (data.action === "create" && data.apiKey !== undefined) {
        if (data.apiKey !== demoCredentials.apiKey || data.secret !== secret) throw fail(403, "Forbidden: invalid apiKey or secret");
        return json(res, 201, issue("platform", platformTtl));
      }
      if (data.action === "create" && data.clientKey !== undefined) {
        platformBearer(req);
        if (typeof data.clientKey !== "string" || !clients.has(data.clientKey)) throw fail(404, "Not found: unknown clientKey");
        return json(res, 201, issue("client", clientTtl, data.clientKey));
      }
      if (data.action === "create") throw fail(400, "Bad request: create needs apiKey and secret, or clientKey");
      if (data.action === "revoke") {
        const { token } = platformBearer(req);
        // Like RFC 7009, revoking a client token that is unknown or already expired succeeds: the goal holds.
        if (data.accessToken !== undefined) {
          if (tokens.get(String(data.accessToken))?.kind === "client") tokens.delete(String(data.accessToken));
          return json(res, 201, { code: "201", message: "Client token revoked" });
        }
        tokens.delete(token);
        return json(res, 201, { code: "201", message: "Platform token revoked" });
      }
      throw unknownAction(data.action);
    });

    router.on("POST", "/api/client", (req, res) => {
      platformBearer(req);
      const data = envelope(req);
      if (data.action === "list") return json(res, 200, [...clients.keys()].map((clientKey) => ({ clientKey })));
      if (data.action === "create") {
        const clientKey = randomUUID();
        addClient(clientKey);
        return json(res, 201, { client: { clientKey, createTime: stamp(), users: [{ userKey: randomUUID(), default: true }] }, code: "201", message: "Client created" });
      }
      throw unknownAction(data.action);
    });

    router.on("POST", "/api/template", (req, res) => {
      const client = clientOf(req);
      const data = envelope(req);
      if (data.action === "list") return json(res, 200, client.templates.map(({ templateKey, name, createTime }) => ({ templateKey, name, createTime })));
      if (data.action === "read") {
        const key = (data.template as { templateKey?: unknown } | undefined)?.templateKey;
        const template = client.templates.find((t) => t.templateKey === key);
        if (!template) throw fail(404, "Not found: unknown templateKey");
        return json(res, 200, { template, code: "200", message: "Template found" });
      }
      throw unknownAction(data.action);
    });

    router.on("POST", "/api/placeholder", (req, res) => {
      const client = clientOf(req);
      const data = envelope(req);
      if (data.action !== "list") throw unknownAction(data.action);
      const template = client.templates.find((t) => t.templateKey === data.templateKey);
      if (!template) throw fail(404, "Not found: unknown templateKey");
      const names = [...template.value.matchAll(/\{\{([^}]+)\}\}/g)].map((m) => m[1] as string);
      json(res, 200, names.map((name, i) => ({ placeholderKey: `${template.templateKey}-ph-${i + 1}`, name, value: "" })));
    });

    router.on("POST", "/api/contract", (req, res) => {
      const client = clientOf(req);
      const data = envelope(req);
      if (data.action !== "create") throw unknownAction(data.action);
      const name = (data.contract as { name?: unknown } | undefined)?.name;
      if (typeof name !== "string" || name === "") throw fail(400, "Bad request: contract.name is required");
      const contractKey = randomUUID();
      client.contracts.set(contractKey, new Set([`${contractKey}-rcp-1`]));
      json(res, 201, { contract: { contractKey, createTime: stamp() }, code: "201", message: "Contract created" });
    });

    router.on("POST", "/api/recipient", (req, res) => {
      const client = clientOf(req);
      const data = envelope(req);
      if (data.action !== "delete") throw unknownAction(data.action);
      const recipients = client.contracts.get(String(data.contractKey));
      const recipientKey = String((data.recipient as { recipientKey?: unknown } | undefined)?.recipientKey);
      if (!recipients?.delete(recipientKey)) throw fail(404, "Not found: unknown contractKey or recipientKey");
      json(res, 200, { code: "200", message: "Recipient deleted" });
    });

    return {
      handle: router.handle,
      stats,
      control: {
        addClient,
        expireTokens(kind) {
          for (const [token, issued] of tokens) if (kind === undefined || issued.kind === kind) tokens.delete(token);
        },
        rotateSecret(next) {
          secret = next;
        },
      },
      reset() {
        tokens.clear();
        secret = demoCredentials.secret;
        seed();
      },
    };
  },
};

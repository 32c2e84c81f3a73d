import type { ServerResponse } from "node:http";
import { failWith, sameSecret } from "../emulator.js";
import type { Counters, EmulatorRequest } from "../emulator.js";

// The SFS emulator's state and the two ways a call is authorized: bearer tokens (platform and client), or the API key
// itself in `X-Sendforsign-Key` with the client named by `clientKey` in the data (or the query of the file routes).

export type SfsTokenKind = "platform" | "client";

export const demoCredentials = {
  apiKey: "sfs-demo-api-key",
  secret: "sfs-demo-secret",
  clientKey: "sfs-demo-client-1",
  clientKey2: "sfs-demo-client-2",
};

export interface IssuedToken {
  kind: SfsTokenKind;
  expiresAt: number;
  clientKey?: string;
}

export interface Placeholder {
  id: string;
  placeholderKey: string;
  name: string;
  value: string;
  /** A number on the placeholder pages' list example, a string on the create example; the emulator answers both. */
  position: number;
  type: string;
  createTime: string;
  changeTime: string;
}

export interface Template {
  templateKey: string;
  name: string;
  value: string;
  createTime: string;
  changeTime: string;
  placeholders: Placeholder[];
  pdf?: Uint8Array;
}

export interface Recipient {
  id: string;
  recipientKey: string;
  name: string;
  email: string;
  customMessage: string;
  position: string;
  action: string;
  clientKey: string;
  createTime: string;
  changeTime: string;
  sent: boolean;
}

export interface Contract {
  contractKey: string;
  name: string;
  value: string;
  status: string;
  createTime: string;
  changeTime: string;
  placeholders: Placeholder[];
  recipients: Recipient[];
  pdf?: Uint8Array;
}

export interface Client {
  clientKey: string;
  createTime: string;
  templates: Template[];
  contracts: Map<string, Contract>;
}

export interface State {
  platformTtl: number;
  clientTtl: number;
  stats: Counters;
  tokens: Map<string, IssuedToken>;
  secret: string;
  clients: Map<string, Client>;
  /** Numeric ids of placeholders and recipients, as SFS hands them out ("1", "2", ...). */
  nextId: number;
}

export const stamp = () => new Date().toISOString().slice(0, 19).replace("T", " ");
export const nextId = (state: State) => String(state.nextId++);

/** SFS answers carry the status again as a string in `code`, beside `message`. */
export const fail = failWith((status, message: string) => ({ code: String(status), message }));
export const unknownAction = (action: unknown) => fail(400, `Bad request: unknown action ${JSON.stringify(action)}`);

/** SFS wraps every request body as `{ data: { action, ... } }`. */
export function envelope(req: EmulatorRequest): Record<string, unknown> & { action?: unknown } {
  const data = req.json<{ data?: unknown }>()?.data;
  if (data === null || typeof data !== "object") {
    throw fail(400, "Bad request: the body must be { data: { action, ... } }");
  }
  return data as Record<string, unknown>;
}

/** A nested object of the data (`contract`, `recipient`, ...), or an empty one, so handlers read fields without ifs. */
export function objectOf(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

export function text(value: unknown, fallback = ""): string {
  return typeof value === "string" ? value : typeof value === "number" ? String(value) : fallback;
}

/** The bearer of the request, which must be live; 401 otherwise, as SFS does for a missing or expired token. */
function bearer(state: State, req: EmulatorRequest): { token: string; issued: IssuedToken } {
  const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? "")?.[1];
  const issued = token === undefined ? undefined : state.tokens.get(token);
  if (token === undefined || issued === undefined || issued.expiresAt <= Date.now()) {
    throw fail(401, "Unauthorized: the bearer token or API key is missing, expired or revoked");
  }
  return { token, issued };
}

/** Whether the call uses the API key mode; a wrong key is refused with 403, as SFS does for an invalid key. */
function usesApiKey(req: EmulatorRequest): boolean {
  const key = req.headers["x-sendforsign-key"];
  if (key === undefined) return false;
  if (!sameSecret(key, demoCredentials.apiKey)) throw fail(403, "Forbidden: invalid X-Sendforsign-Key");
  return true;
}

/** A platform-level call: the platform bearer, or the API key (no clientKey needed). */
export function platformCaller(state: State, req: EmulatorRequest): { token?: string } {
  if (usesApiKey(req)) return {};
  const found = bearer(state, req);
  if (found.issued.kind !== "platform") throw fail(403, "Forbidden: this call needs the platform token");
  return { token: found.token };
}

/**
 * The client a client-level call acts for: the one of its client token, or, with the API key, the one named by
 * `clientKey` in the data (JSON calls) or the query (file calls). With the API key a call without a clientKey is
 * refused (400): the key alone names the platform, not the client.
 */
export function clientOf(state: State, req: EmulatorRequest, data?: Record<string, unknown>): Client {
  if (usesApiKey(req)) {
    const clientKey = data ? data.clientKey : (req.url.searchParams.get("clientKey") ?? undefined);
    if (typeof clientKey !== "string" || clientKey === "") {
      const where = data ? "in data" : "in the query";
      throw fail(400, `Bad request: with X-Sendforsign-Key, name the client with clientKey ${where}`);
    }
    const client = state.clients.get(clientKey);
    if (!client) throw fail(404, "Not found: unknown clientKey");
    return client;
  }
  const { issued } = bearer(state, req);
  const client = issued.kind === "client" && issued.clientKey ? state.clients.get(issued.clientKey) : undefined;
  if (!client) throw fail(403, "Forbidden: this call needs a client token or the API key with a clientKey");
  return client;
}

/** Placeholders from the `{{Name}}` marks of an HTML text, numbered in order. */
export function placeholdersIn(state: State, ownerKey: string, html: string): Placeholder[] {
  const names = [...new Set([...html.matchAll(/\{\{([^}]+)\}\}/g)].map((m) => m[1] as string))];
  return names.map((name, i) => placeholder(state, `${ownerKey}-ph-${i + 1}`, name, "", i + 1));
}

export function placeholder(state: State, key: string, name: string, value: string, position: number): Placeholder {
  const time = stamp();
  return {
    id: nextId(state),
    placeholderKey: key,
    name,
    value,
    position,
    type: "1",
    createTime: time,
    changeTime: time,
  };
}

/** Writes a file answer (download routes). */
export function file(res: ServerResponse, contentType: string, bytes: Uint8Array): void {
  res.writeHead(200, { "content-type": contentType, "content-length": String(bytes.byteLength) });
  res.end(bytes);
}

import { createHash } from "node:crypto";
import type { EmulatorRequest } from "./emulator.js";

/**
 * What the dashboard learns from a request and its reply, read generically (no emulator tells it): which credential
 * was used, why a refusal happened, which token was issued. Secrets never leave this module: a token or a secret
 * header becomes a short hash, enough to tell two apart and to match a token to the requests that presented it.
 */

/** A stable, one-way label for a secret value: `#` and 8 hex digits of its SHA-256. */
export function fingerprint(secret: string): string {
  return `#${createHash("sha256").update(secret).digest("hex").slice(0, 8)}`;
}

// Identifiers that are not secret (shown as they are), in the order a request is most likely to carry them.
const ID_HEADERS = ["client-id", "app-id", "x-client-id", "userid", "x-user-id"];
const ID_FIELDS = ["client_id", "clientId", "username", "user_id", "userId", "clientKey"];
// Secrets a request may present: shown as a fingerprint only.
const SECRET_HEADERS = [
  "x-session-token",
  "session-token",
  "sessiontoken",
  "customer-secret",
  "login-secret",
  "x-api-key",
  "x-sendforsign-key",
];
const SECRET_FIELDS = ["apiKey", "api_key"];

const header = (req: EmulatorRequest, name: string): string | undefined => {
  const value = req.headers[name];
  return typeof value === "string" && value !== "" ? value : undefined;
};

function bodyFields(req: EmulatorRequest): Record<string, unknown> {
  const type = header(req, "content-type") ?? "";
  if (type.includes("application/x-www-form-urlencoded")) return Object.fromEntries(req.form());
  if (type.includes("json") && req.body.length > 0) {
    try {
      const parsed: unknown = JSON.parse(req.text());
      if (typeof parsed !== "object" || parsed === null) return {};
      // Some providers wrap every body in `data` (Salt Edge, SFS): its fields count as the body's.
      const { data } = parsed as { data?: unknown };
      return typeof data === "object" && data !== null && !Array.isArray(data)
        ? { ...(data as Record<string, unknown>), ...(parsed as Record<string, unknown>) }
        : (parsed as Record<string, unknown>);
    } catch {
      // Not JSON after all: the emulator answers that; there is simply no credential in it.
    }
  }
  return {};
}

/** Which credential a request used, by id (a client id, a user name) or by fingerprint (a token, a secret). */
export function credentialOf(req: EmulatorRequest): string | undefined {
  for (const name of ID_HEADERS) {
    const value = header(req, name);
    if (value) return value;
  }
  const fields = bodyFields(req);
  for (const name of ID_FIELDS) {
    const value = fields[name];
    if (typeof value === "string" && value !== "") return value;
  }
  const authorization = header(req, "authorization");
  if (authorization) {
    const [scheme = "", value = ""] = authorization.split(/\s+/, 2);
    if (/^basic$/i.test(scheme)) {
      const user = Buffer.from(value, "base64").toString("utf8").split(":")[0];
      if (user) return user;
    }
    return `${scheme.toLowerCase() || "token"} ${fingerprint(value || authorization)}`;
  }
  for (const name of SECRET_HEADERS) {
    const value = header(req, name);
    if (value) return `${name} ${fingerprint(value)}`;
  }
  for (const name of SECRET_FIELDS) {
    const value = fields[name];
    if (typeof value === "string" && value !== "") return `${name} ${fingerprint(value)}`;
  }
  return undefined;
}

const text = (value: unknown): string | undefined =>
  typeof value === "string" && value.trim() !== "" ? value.trim() : undefined;

const pick = (body: Record<string, unknown>, names: string[]): string | undefined => {
  for (const [key, value] of Object.entries(body))
    if (names.includes(key.toLowerCase()) && text(value)) return text(value);
  return undefined;
};

/**
 * The reason in words that an error body gives, whatever the provider's error shape: OAuth's `error` and
 * `error_description`, Salt Edge's `error.class` and `error.message` (v3: `error_class`, `error_message`), finAPI's
 * `errors[]`, Inqom's `Code`/`Message`/`Details`, RFC 9457's `title`/`detail`, or a plain `message`.
 */
export function reasonOf(body: unknown): string | undefined {
  if (typeof body !== "object" || body === null) return text(body);
  const b = body as Record<string, unknown>;
  if (typeof b.error === "object" && b.error !== null) return reasonOf(b.error);
  if (Array.isArray(b.errors) && b.errors.length > 0) return b.errors.map(reasonOf).filter(Boolean).join("; ");
  const details = Object.entries(b).find(([key]) => key.toLowerCase() === "details")?.[1];
  const message =
    pick(b, ["error_description", "error_message", "message", "detail"]) ??
    (Array.isArray(details) ? details.filter((d) => typeof d === "string").join("; ") || undefined : undefined);
  const label = pick(b, ["error_class", "class", "code", "title", "error", "name"]);
  if (message && label && !message.includes(label)) return `${label}: ${message}`;
  return message ?? label;
}

export interface IssuedToken {
  /** Fingerprint of the token (never its value). */
  token: string;
  /** `refresh` when a refresh token was traded for it, else `issued`. */
  event: "issued" | "refreshed";
  /** ISO time the provider said it expires, when it said so. */
  expiresAt?: string;
  scope?: string;
}

/** The token a successful reply hands out (`access_token`, `token`, `data.token`), if it hands out one. */
export function issuedTokenOf(req: EmulatorRequest, body: unknown): IssuedToken | undefined {
  if (typeof body !== "object" || body === null) return undefined;
  const outer = body as Record<string, unknown>;
  const b = (typeof outer.data === "object" && outer.data !== null ? outer.data : outer) as Record<string, unknown>;
  const value = text(b.access_token) ?? text(b.accessToken) ?? text(b.token) ?? text(b.sessionToken);
  if (!value) return undefined;
  const expiresIn = typeof b.expires_in === "number" ? b.expires_in : undefined;
  const expiresAt =
    expiresIn !== undefined ? new Date(Date.now() + expiresIn * 1000).toISOString() : text(b.expires_at);
  const grant = bodyFields(req).grant_type;
  return {
    token: fingerprint(value),
    event: grant === "refresh_token" ? "refreshed" : "issued",
    ...(expiresAt ? { expiresAt } : {}),
    ...(text(b.scope) ? { scope: text(b.scope) } : {}),
  };
}

/** Whether a successful request revoked a token (OAuth 2.0 revocation, logout, delete session). */
export const isRevocation = (req: EmulatorRequest): boolean =>
  /revoke|logout|sign_?out/i.test(req.path) || (req.method === "DELETE" && /token|session/i.test(req.path));

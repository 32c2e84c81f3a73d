import { AuthenticationError } from "../errors.js";
import { redactBody, scrubSecrets } from "../redact.js";
import type { TokenGrant } from "../token-cache.js";

/** A year: any longer `expires_in` is a provider bug, not a lifetime to trust. */
const MAX_EXPIRES_IN_S = 366 * 24 * 3600;

export interface TokenResponseContext {
  provider: string;
  /** What was asked, for messages: "password grant at https://auth.example.com/token". */
  what: string;
  /** Values that must never be echoed back in an error (the provider may quote them). */
  secrets?: readonly string[];
  /** Where the token fields are, for providers that wrap them (SFS: `{ data: {...} }`). Default: the body itself. */
  select?: (body: Record<string, unknown>) => unknown;
}

/**
 * Turns a token endpoint's response into a `TokenGrant`, or an `AuthenticationError` that says
 * exactly what was wrong: refused credentials (with the provider's error code), a body that
 * is not JSON (an HTML error page), a missing `access_token`, an absurd `expires_in`, or a
 * 2xx that carries an error. Never a TypeError.
 */
export async function readTokenResponse(response: Response, context: TokenResponseContext): Promise<TokenGrant> {
  const { provider, what } = context;
  const text = await response.text().catch(() => "");
  let body: unknown;
  try {
    body = text === "" ? undefined : JSON.parse(text);
  } catch {
    body = undefined;
  }
  const record = body !== null && typeof body === "object" && !Array.isArray(body) ? (body as Record<string, unknown>) : undefined;
  const requestId = response.headers.get("x-request-id") ?? undefined;
  const secrets = context.secrets ?? [];
  const fail = (message: string, code: string) =>
    new AuthenticationError(scrubSecrets(message, secrets), { provider, status: response.status, code, requestId, body: redactBody(body, secrets) });

  const providerCode = record ? errorCodeOf(record) : undefined;
  if (!response.ok) {
    const description = record ? errorDescriptionOf(record) : undefined;
    // Any 4xx is about these credentials (400 bad grant, 401 client, 423 locked user); a 5xx is the endpoint's fault.
    const refused = response.status < 500;
    throw fail(
      `${provider} ${refused ? "refused" : "failed"} the ${what} (${response.status}${providerCode ? ` ${providerCode}` : ""})${description ? `: ${description}` : ""}. ${
        refused ? "Check the credentials for this environment." : "The token endpoint is failing; retry later."
      }`,
      providerCode ?? (refused ? "CREDENTIALS_REJECTED" : "TOKEN_ENDPOINT_ERROR"),
    );
  }
  if (!record) {
    const kind = (response.headers.get("content-type") ?? "no content type").split(";")[0];
    throw fail(`${provider} answered the ${what} with a body that is not a JSON object (${kind}); is the token URL right?`, "INVALID_TOKEN_RESPONSE");
  }
  const fields = context.select ? context.select(record) : record;
  const tokenFields = fields !== null && typeof fields === "object" ? (fields as Record<string, unknown>) : {};
  const accessToken = tokenFields.access_token ?? tokenFields.accessToken;
  if (typeof accessToken !== "string" || accessToken === "") {
    throw fail(
      providerCode
        ? `${provider} answered the ${what} with status ${response.status} but an error (${providerCode}); check the credentials.`
        : `${provider} answered the ${what} without an access_token; is the token URL right?`,
      providerCode ?? "INVALID_TOKEN_RESPONSE",
    );
  }
  const grant: TokenGrant = { accessToken };
  const refreshToken = tokenFields.refresh_token ?? tokenFields.refreshToken;
  if (typeof refreshToken === "string" && refreshToken !== "") grant.refreshToken = refreshToken;

  const rawExpiresIn = tokenFields.expires_in ?? tokenFields.expiresIn;
  if (rawExpiresIn !== undefined && rawExpiresIn !== null) {
    const expiresIn = typeof rawExpiresIn === "string" && rawExpiresIn.trim() !== "" ? Number(rawExpiresIn) : rawExpiresIn;
    if (typeof expiresIn !== "number" || !Number.isFinite(expiresIn) || expiresIn < 0 || expiresIn > MAX_EXPIRES_IN_S) {
      throw fail(`${provider} answered the ${what} with an unusable expires_in (${JSON.stringify(rawExpiresIn)}); expected seconds between 0 and ${MAX_EXPIRES_IN_S}.`, "INVALID_TOKEN_RESPONSE");
    }
    grant.expiresInMs = expiresIn * 1000;
    return grant;
  }
  const jwtExpiry = jwtExpiresAt(accessToken);
  if (jwtExpiry === undefined) {
    throw fail(`${provider} answered the ${what} without expires_in, and the token is not a JWT with an exp claim; its lifetime is unknown.`, "INVALID_TOKEN_RESPONSE");
  }
  grant.expiresAt = jwtExpiry;
  return grant;
}

/**
 * Expiry of a JWT on this machine's clock. With an `iat` claim the lifetime `exp - iat` is
 * counted from now, which cancels any skew between the provider's clock and ours.
 */
export function jwtExpiresAt(token: string, now: number = Date.now()): number | undefined {
  const payload = token.split(".")[1];
  if (!payload) return undefined;
  try {
    const json = JSON.parse(atob(payload.replace(/-/g, "+").replace(/_/g, "/").padEnd(Math.ceil(payload.length / 4) * 4, "="))) as { exp?: unknown; iat?: unknown };
    if (typeof json.exp !== "number") return undefined;
    if (typeof json.iat === "number" && json.exp > json.iat) return now + (json.exp - json.iat) * 1000;
    return json.exp * 1000;
  } catch {
    return undefined;
  }
}

function errorCodeOf(body: Record<string, unknown>): string | undefined {
  if (typeof body.error === "string") return body.error;
  const errors = body.errors;
  if (Array.isArray(errors) && typeof errors[0]?.code === "string") return errors[0].code;
  return undefined;
}

function errorDescriptionOf(body: Record<string, unknown>): string | undefined {
  if (typeof body.error_description === "string") return body.error_description.slice(0, 200);
  const errors = body.errors;
  if (Array.isArray(errors) && typeof errors[0]?.message === "string") return String(errors[0].message).slice(0, 200);
  if (typeof body.message === "string") return body.message.slice(0, 200);
  return undefined;
}

import { readErrorBody } from "../body.js";
import { AuthenticationError, responseErrorOptions } from "../errors.js";
import { redactBody, scrubSecrets } from "../redact.js";
import { parseRetryAfter } from "../retry.js";
import { requireKind } from "../security.js";
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
  requireKind(response, "fetch Response", "response");
  const { provider, what } = requireKind(context, "object", "context");
  const secrets = context.secrets ?? [];
  // Bounded like an error body (a token answer is a few kB); text when it is not JSON, undefined when empty.
  const body = await readErrorBody(response);
  const record = isObject(body) && !Array.isArray(body) ? body : undefined;
  const fail = (message: string, code = "INVALID_TOKEN_RESPONSE") =>
    new AuthenticationError(scrubSecrets(`${provider} ${message}`, secrets), {
      ...responseErrorOptions(provider, response, code),
      body: redactBody(body, secrets),
    });
  const invalid = (problem: string, code?: string) => fail(`answered the ${what}: ${problem}.`, code);

  // OAuth2's `error` / `error_description`, or the first of an `errors` array.
  const firstError = Array.isArray(record?.errors) && isObject(record.errors[0]) ? record.errors[0] : {};
  const providerCode = asString(record?.error) ?? asString(firstError.code);
  if (response.status === 429) {
    // Not the credentials' fault: saying "check the credentials" would send the reader the wrong way.
    const retryAfterMs = parseRetryAfter(response.headers.get("retry-after"));
    throw fail(
      `rate limited the ${what} (429${providerCode ? ` ${providerCode}` : ""}); ` +
        `retry after ${retryAfterMs === undefined ? "a while" : `${Math.ceil(retryAfterMs / 1000)} s`}.`,
      providerCode ?? "RATE_LIMITED",
    );
  }
  if (!response.ok) {
    const description = (
      asString(record?.error_description) ??
      asString(firstError.message) ??
      asString(record?.message)
    )?.slice(0, 200);
    // Any 4xx is about these credentials (400 bad grant, 401 client, 423 locked user); a 5xx is the endpoint's fault.
    const refused = response.status < 500;
    throw fail(
      `${refused ? "refused" : "failed"} the ${what} (${response.status}${providerCode ? ` ${providerCode}` : ""})` +
        `${description ? `: ${description}` : ""}; ${refused ? "check the credentials" : "retry later"}.`,
      providerCode ?? (refused ? "CREDENTIALS_REJECTED" : "TOKEN_ENDPOINT_ERROR"),
    );
  }
  if (!record) {
    const kind = (response.headers.get("content-type") ?? "no content type").split(";")[0];
    throw invalid(`not a JSON object (${kind}); check the token URL`);
  }
  const selected = context.select ? context.select(record) : record;
  const fields = isObject(selected) ? selected : {};
  // Providers spell the token fields in snake_case (RFC 6749) or camelCase.
  const field = (name: string, camelName: string) => fields[name] ?? fields[camelName];
  const accessToken = field("access_token", "accessToken");
  if (typeof accessToken !== "string" || accessToken === "") {
    throw providerCode
      ? invalid(`error (${providerCode}); check the credentials`, providerCode)
      : invalid("no access_token; check the token URL");
  }
  const grant: TokenGrant = { accessToken };
  const refreshToken = field("refresh_token", "refreshToken");
  if (typeof refreshToken === "string" && refreshToken !== "") grant.refreshToken = refreshToken;

  const rawExpiresIn = field("expires_in", "expiresIn");
  if (rawExpiresIn !== undefined && rawExpiresIn !== null) {
    const expiresIn =
      typeof rawExpiresIn === "string" && rawExpiresIn.trim() !== "" ? Number(rawExpiresIn) : rawExpiresIn;
    // NaN and Infinity fail the range check too.
    if (typeof expiresIn !== "number" || !(expiresIn >= 0 && expiresIn <= MAX_EXPIRES_IN_S)) {
      throw invalid(`unusable expires_in (${JSON.stringify(rawExpiresIn)}), not 0-${MAX_EXPIRES_IN_S} s`);
    }
    grant.expiresInMs = expiresIn * 1000;
    return grant;
  }
  grant.expiresAt = jwtExpiresAt(accessToken);
  if (grant.expiresAt === undefined) throw invalid("no expires_in or JWT exp, so the lifetime is unknown");
  return grant;
}

/**
 * Expiry of a JWT on this machine's clock. With an `iat` claim the lifetime `exp - iat` is
 * counted from now, which cancels any skew between the provider's clock and ours.
 */
export function jwtExpiresAt(token: string, now: number = Date.now()): number | undefined {
  const payload = typeof token === "string" ? token.split(".")[1] : undefined;
  if (!payload) return undefined;
  try {
    // base64url to base64; atob accepts the missing padding.
    const json = JSON.parse(atob(payload.replace(/-/g, "+").replace(/_/g, "/"))) as { exp?: unknown; iat?: unknown };
    if (typeof json.exp !== "number") return undefined;
    if (typeof json.iat === "number" && json.exp > json.iat) return now + (json.exp - json.iat) * 1000;
    return json.exp * 1000;
  } catch {
    return undefined;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object";
}

function asString(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

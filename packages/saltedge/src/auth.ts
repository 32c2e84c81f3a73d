import { AuthenticationError, defineAuthPlugin, redactBody, scrubSecrets, withHeaders, type AuthPlugin } from "@x/core";
import { isSaltEdgeErrorBody } from "./errors.js";
import type { Level } from "./levels.js";

export interface SaltEdgeCredentials {
  clientId: string;
  appSecret: string;
  customerSecret?: string;
  loginSecret?: string;
}

/** What to check, per error class of a refused request; never the secret itself. */
const ADVICE: Record<string, string> = {
  ClientNotFound: "check clientId and appSecret (Client-id / App-secret) for this environment",
  ClientDisabled: "the app is disabled in the Salt Edge dashboard",
  CustomerNotFound: "the Customer-secret is not a customer of this app; use the secret returned by POST /customers",
  LoginNotFound: "the Login-secret is not a login of this customer; use the secret returned with the login",
  MissingSignature: "this client must sign its requests; pass privateKey",
  MissingExpiresAt: "this client must sign its requests; pass privateKey",
  SignatureNotMatch: "the signature did not verify; check that privateKey matches the public key uploaded in the dashboard and signatureAlgorithm",
  PublicKeyNotProvided: "upload the public key of privateKey in the Salt Edge dashboard",
  RequestExpired: "Expires-at was already past when Salt Edge received the request; check this machine's clock",
  ExpiresAtInvalid: "Expires-at is more than one hour ahead; check this machine's clock and expiresInSeconds",
};

/**
 * The headers of one level, and the mapping of a refused request (401/403) to an
 * `AuthenticationError` whose `code` is Salt Edge's `error_class`: with fixed secrets there
 * is nothing to refresh, so a refusal is final and says which credential to check.
 *
 * Error bodies are scrubbed of the secrets sent with the request before anyone reads them,
 * because Salt Edge echoes parts of the request in `error_message` and `request`, and core's
 * `redactBody` only recognises secrets by field name.
 */
export function saltEdgeAuth(credentials: SaltEdgeCredentials, level: Level): AuthPlugin {
  const headers: Record<string, string> = { "Client-id": credentials.clientId, "App-secret": credentials.appSecret };
  if (credentials.customerSecret !== undefined) headers["Customer-secret"] = credentials.customerSecret;
  if (credentials.loginSecret !== undefined) headers["Login-secret"] = credentials.loginSecret;
  const secrets = [credentials.appSecret, credentials.customerSecret, credentials.loginSecret].filter((s): s is string => !!s);

  return defineAuthPlugin({
    name: "saltedge-auth",
    kind: level,
    async authorize() {
      return { ...headers };
    },
    async middleware(request, next, ctx) {
      const response = await next(withHeaders(request, headers));
      if (response.ok) return response;
      const scrubbed = await withoutSecrets(response, secrets);
      if (scrubbed.status !== 401 && scrubbed.status !== 403) return scrubbed;
      const body = await scrubbed.json().catch(() => undefined);
      const code = isSaltEdgeErrorBody(body) ? body.error_class : "CREDENTIALS_REJECTED";
      throw new AuthenticationError(
        `saltedge refused the ${level}-level credentials (${scrubbed.status} ${code}): ${ADVICE[code] ?? "check clientId, appSecret and the customer and login secrets of this client"}.`,
        { provider: ctx.provider, status: scrubbed.status, code, requestId: scrubbed.headers.get("x-request-id") ?? undefined, body: redactBody(body) },
      );
    },
  });
}

/** A copy of an error response with every occurrence of a sent secret replaced by "[redacted]". */
async function withoutSecrets(response: Response, secrets: readonly string[]): Promise<Response> {
  const clean = scrubSecrets(await response.text(), secrets);
  const headers = new Headers(response.headers);
  headers.delete("content-length");
  const copy = new Response(clean, { status: response.status, statusText: response.statusText, headers });
  // core's apiErrorFor reads response.url for the message; a constructed Response has none.
  Object.defineProperty(copy, "url", { value: response.url });
  return copy;
}

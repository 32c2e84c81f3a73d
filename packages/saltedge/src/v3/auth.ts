import { staticHeadersAuth, type AuthPlugin } from "@x/core";
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
  SignatureNotMatch:
    "the signature did not verify; check that privateKey matches the public key uploaded in the dashboard and" +
    " signatureAlgorithm",
  PublicKeyNotProvided: "upload the public key of privateKey in the Salt Edge dashboard",
  RequestExpired: "Expires-at was already past when Salt Edge received the request; check this machine's clock",
  ExpiresAtInvalid: "Expires-at is more than one hour ahead; check this machine's clock and expiresInSeconds",
};

const DEFAULT_ADVICE = "check clientId, appSecret and the customer and login secrets of this client";

/** The secrets a client of these credentials sends: core's `secrets`, scrubbed from every error. */
export function secretsOf(credentials: SaltEdgeCredentials): string[] {
  return [credentials.appSecret, credentials.customerSecret, credentials.loginSecret].filter((s): s is string => !!s);
}

/**
 * The headers of one level (core's `staticHeadersAuth`), and the mapping of a refused request (401/403) to an
 * `AuthenticationError` whose `code` is Salt Edge's `error_class`: with fixed secrets there is nothing to refresh,
 * so a refusal is final and says which credential to check. The header values are scrubbed from its message and
 * `error.body`; the client passes the same secrets to core, which scrubs `ApiError` and `{ error }` alike, since
 * Salt Edge echoes parts of the request in `error_message` and `request`.
 */
export function saltEdgeAuth(credentials: SaltEdgeCredentials, level: Level): AuthPlugin {
  const { clientId, appSecret, customerSecret, loginSecret } = credentials;
  return staticHeadersAuth({
    name: "saltedge-auth",
    kind: level,
    headers: {
      "Client-id": clientId,
      "App-secret": appSecret,
      ...(customerSecret !== undefined && { "Customer-secret": customerSecret }),
      ...(loginSecret !== undefined && { "Login-secret": loginSecret }),
    },
    isRejected: (response) => response.status === 401 || response.status === 403,
    describeRejection(body) {
      const code = isSaltEdgeErrorBody(body) ? body.error_class : undefined;
      const advice = (code && ADVICE[code]) || DEFAULT_ADVICE;
      return { code, message: `${advice}.` };
    },
  });
}

import { staticHeadersAuth, type AuthPlugin } from "@x/core";
import { isSaltEdgeErrorBody } from "./errors.js";

export interface SaltEdgeCredentials {
  appId: string;
  secret: string;
}

/** What to check, per error class of a refused request; never the secret itself. */
const ADVICE: Record<string, string> = {
  ClientNotFound: "check appId and secret (App-id / Secret) for this environment",
  MissingSignature: "Salt Edge wants every request signed; check privateKey",
  MissingExpiresAt: "Salt Edge wants every request signed; check privateKey",
  SignatureNotMatch:
    "the signature did not verify; check that privateKey matches the public key uploaded in the Salt Edge dashboard",
  PublicKeyNotProvided: "upload the public key of privateKey in the Salt Edge dashboard",
  RequestExpired: "Expires-at was already past when Salt Edge received the request; check this machine's clock",
  ExpiresAtInvalid: "Expires-at is more than one hour ahead; check this machine's clock and expiresInSeconds",
};

const DEFAULT_ADVICE = "check appId, secret and privateKey of this client";

/**
 * `App-id` and `Secret` on every request (core's `staticHeadersAuth`), and the mapping of a refused request
 * (401/403) to an `AuthenticationError` whose `code` is Salt Edge's error class: with fixed credentials there is
 * nothing to refresh, so a refusal is final and says which credential to check.
 */
export function saltEdgeAuth({ appId, secret }: SaltEdgeCredentials): AuthPlugin {
  return staticHeadersAuth({
    name: "saltedge-auth",
    kind: "app",
    headers: { "App-id": appId, Secret: secret },
    isRejected: (response) => response.status === 401 || response.status === 403,
    describeRejection(body) {
      const code = isSaltEdgeErrorBody(body) ? body.error.class : undefined;
      const advice = (code && ADVICE[code]) || DEFAULT_ADVICE;
      return { code, message: `${advice}.` };
    },
  });
}

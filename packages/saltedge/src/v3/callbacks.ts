import type { components } from "../generated/v3/schema.js";
import {
  importPublicKey,
  verifySignedCallback,
  type SaltEdgeCallback,
  type VerifyCallbackOptions as BaseVerifyOptions,
} from "../callback-signature.js";
import { checkSignatureAlgorithm, type SignatureAlgorithm } from "../signing.js";

export type { SaltEdgeCallback } from "../callback-signature.js";

/** The payloads Salt Edge v3 posts to the app's callback URLs (success, notify, interactive; fail). */
export type SaltEdgeCallbackPayload = components["schemas"]["LoginCallback"] | components["schemas"]["FailCallback"];

export interface VerifyCallbackOptions extends BaseVerifyOptions {
  /**
   * Digest of Salt Edge's callback signature. v3 signs callbacks with SHA-1 (the v3 examples verify with SHA-1 and
   * the v4 changelog moved callbacks to SHA-256), so "sha1" is the default; "sha256" for an app whose callbacks
   * already come signed the v4 way.
   */
  signatureAlgorithm?: SignatureAlgorithm;
}

/** Imports Salt Edge's public key once, for servers that verify many callbacks (the same digest as verifyCallback). */
export function importCallbackPublicKey(
  publicKey: string,
  signatureAlgorithm?: SignatureAlgorithm,
): Promise<CryptoKey> {
  return importPublicKey(publicKey, checkSignatureAlgorithm(signatureAlgorithm, "sha1"));
}

/**
 * Verifies a Salt Edge v3 callback (`Signature` = base64 RSA-SHA1 of `"<url>|<raw body>"` unless
 * `signatureAlgorithm` says otherwise) and returns its parsed payload. Throws an `AuthenticationError` (code
 * `CallbackSignatureMissing` or `CallbackSignatureInvalid`) when it cannot be trusted: answer the callback with 400
 * and do not act on it.
 */
export async function verifyCallback<T = SaltEdgeCallbackPayload>(
  callback: SaltEdgeCallback,
  publicKey: string | CryptoKey,
  options: VerifyCallbackOptions = {},
): Promise<T> {
  const algorithm = checkSignatureAlgorithm(options.signatureAlgorithm, "sha1");
  return (await verifySignedCallback(callback, publicKey, algorithm, options)) as T;
}

import type { components } from "../generated/v3/schema.js";
import {
  importPublicKey,
  verifyCallbackOfKind,
  verifySignedCallback,
  type SaltEdgeCallback,
  type VerifyCallbackOptions as BaseVerifyOptions,
} from "../callback-signature.js";
import { checkSignatureAlgorithm, type SignatureAlgorithm } from "../signing.js";

export type { SaltEdgeCallback } from "../callback-signature.js";

type Schemas = components["schemas"];

/** The payload of each callback Salt Edge v3 posts, by the kind of its URL (one URL per kind in the dashboard). */
export interface SaltEdgeCallbackPayloads {
  /** Salt Edge fetched (part of) the login's data. */
  success: Schemas["LoginCallback"];
  /** The login's fetch failed; `data.error_class` says why. */
  fail: Schemas["FailCallback"];
  /** The login's fetch reached a new stage (`data.stage`). */
  notify: Schemas["LoginCallback"];
  /** The provider asks for an interactive answer (`login.interactive`). */
  interactive: Schemas["LoginCallback"];
}

export type SaltEdgeCallbackKind = keyof SaltEdgeCallbackPayloads;

/** A verified callback: its kind beside its payload, so a handler can `switch (event.kind)`. */
export type SaltEdgeCallbackEvent<K extends SaltEdgeCallbackKind = SaltEdgeCallbackKind> = {
  [P in K]: { kind: P } & SaltEdgeCallbackPayloads[P];
}[K];

/** The payloads Salt Edge v3 posts, not told apart: what `verifyCallback` returns for a callback without `kind`. */
export type SaltEdgeCallbackPayload = SaltEdgeCallbackPayloads[SaltEdgeCallbackKind];

const KINDS = ["success", "fail", "notify", "interactive"] as const satisfies readonly SaltEdgeCallbackKind[];

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
 * `signatureAlgorithm` says otherwise). With the `kind` of the URL it arrived on, it returns the payload typed by
 * that kind (`event.kind === "fail"` narrows `event.data` to the failure); without, the payload as it came. Throws
 * an `AuthenticationError` (code `CallbackSignatureMissing` or `CallbackSignatureInvalid`) when it cannot be
 * trusted: answer the callback with 400 and do not act on it.
 *
 * @example
 * const event = await verifyCallback({ kind: "fail", url, body: rawBody, signature }, saltEdgePublicKey);
 * if (event.kind === "fail") console.log(event.data.error_class);
 */
export function verifyCallback<K extends SaltEdgeCallbackKind>(
  callback: SaltEdgeCallback & { kind: K },
  publicKey: string | CryptoKey,
  options?: VerifyCallbackOptions,
): Promise<SaltEdgeCallbackEvent<K>>;
export function verifyCallback<T = SaltEdgeCallbackPayload>(
  callback: SaltEdgeCallback & { kind?: undefined },
  publicKey: string | CryptoKey,
  options?: VerifyCallbackOptions,
): Promise<T>;
export async function verifyCallback(
  callback: SaltEdgeCallback & { kind?: string },
  publicKey: string | CryptoKey,
  options: VerifyCallbackOptions = {},
): Promise<unknown> {
  const algorithm = checkSignatureAlgorithm(options.signatureAlgorithm, "sha1");
  if (callback?.kind === undefined) return verifySignedCallback(callback, publicKey, algorithm, options);
  return verifyCallbackOfKind({ ...callback, kind: callback.kind }, KINDS, publicKey, algorithm, options);
}

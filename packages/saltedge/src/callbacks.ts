import type { components } from "./generated/schema.js";
import {
  importPublicKey,
  verifyCallbackOfKind,
  type SaltEdgeCallback as ReceivedCallback,
  type VerifyCallbackOptions,
} from "./callback-signature.js";

export type { VerifyCallbackOptions } from "./callback-signature.js";

type Schemas = components["schemas"];

/** The payload of each callback Salt Edge v6 posts, by the kind of its URL (one URL per kind in the dashboard). */
export interface SaltEdgeCallbackPayloads {
  /** The connection's data changed; `data.stage` says how far the fetch got ("finish" when it is done). */
  success: Schemas["SuccessCallback"];
  /** The fetch failed; `data.error_class` says why. */
  fail: Schemas["FailCallback"];
  /** The fetch reached a new stage. */
  notify: Schemas["NotifyCallback"];
  /** The connection was removed. */
  destroy: Schemas["DestroyCallback"];
}

export type SaltEdgeCallbackKind = keyof SaltEdgeCallbackPayloads;

/** A verified callback: its kind beside its payload, so a handler can `switch (event.kind)` and then on the stage. */
export type SaltEdgeCallbackEvent<K extends SaltEdgeCallbackKind = SaltEdgeCallbackKind> = {
  [P in K]: { kind: P } & SaltEdgeCallbackPayloads[P];
}[K];

/** A callback as the app's HTTP server received it, with the kind of URL it arrived on. */
export interface SaltEdgeCallback<K extends SaltEdgeCallbackKind = SaltEdgeCallbackKind> extends ReceivedCallback {
  /** Which callback URL received it: Salt Edge sends each kind to its own URL, and the body does not say. */
  kind: K;
}

const KINDS = ["success", "fail", "notify", "destroy"] as const satisfies readonly SaltEdgeCallbackKind[];

/** Imports Salt Edge's public key once, for servers that verify many callbacks. */
export function importCallbackPublicKey(publicKey: string): Promise<CryptoKey> {
  return importPublicKey(publicKey, "sha256");
}

/**
 * Verifies a Salt Edge v6 callback (`Signature` = base64 RSA-SHA256 of `"<url>|<raw body>"`, checked with Salt
 * Edge's public key) and returns it typed by its kind. Throws an `AuthenticationError` (code
 * `CallbackSignatureMissing` or `CallbackSignatureInvalid`) when it cannot be trusted: answer 400 and do not act on it.
 *
 * @example
 * const event = await verifyCallback({ kind: "success", url, body: rawBody, signature }, saltEdgePublicKey);
 * if (event.kind === "success" && event.data.stage === "finish") await importData(event.data.connection_id);
 */
export async function verifyCallback<K extends SaltEdgeCallbackKind>(
  callback: SaltEdgeCallback<K>,
  publicKey: string | CryptoKey,
  options: VerifyCallbackOptions = {},
): Promise<SaltEdgeCallbackEvent<K>> {
  return (await verifyCallbackOfKind(callback, KINDS, publicKey, "sha256", options)) as SaltEdgeCallbackEvent<K>;
}

import { AuthenticationError, XError } from "@x/core";
import type { components } from "./generated/schema.js";
import { PROVIDER } from "./errors.js";
import { fromBase64, rsaPublicKeyDer } from "./pem.js";

/** The payloads Salt Edge posts to the app's callback URLs (success, notify, interactive; fail). */
export type SaltEdgeCallbackPayload = components["schemas"]["LoginCallback"] | components["schemas"]["FailCallback"];

/** A callback as the app's HTTP server received it. */
export interface SaltEdgeCallback {
  /** The callback URL exactly as configured in the Salt Edge dashboard (what Salt Edge signed). */
  url: string;
  /** The raw request body: bytes, or the text exactly as received (not re-serialised JSON). */
  body: string | Uint8Array;
  /** The `Signature` header; missing or empty means unsigned. */
  signature: string | null | undefined;
}

export interface VerifyCallbackOptions {
  /** Accept a callback without a `Signature` header (e.g. a local test). Default false. */
  allowUnsigned?: boolean;
}

/** Imports Salt Edge's public key once, for servers that verify many callbacks. */
export function importCallbackPublicKey(publicKey: string): Promise<CryptoKey> {
  const der = rsaPublicKeyDer(publicKey, "publicKey");
  const algorithm = { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" };
  return crypto.subtle.importKey("spki", der, algorithm, false, ["verify"]).catch(() => {
    throw new XError("publicKey could not be imported as an RSA public key; copy Salt Edge's public key again.", {
      provider: PROVIDER,
      code: "PUBLIC_KEY_INVALID",
    });
  });
}

/**
 * Verifies a Salt Edge callback (`Signature` = base64 RSA-SHA256 of `"<url>|<raw body>"`)
 * and returns its parsed payload. Throws an `AuthenticationError` (code
 * `CallbackSignatureMissing` or `CallbackSignatureInvalid`) when it cannot be trusted:
 * answer the callback with 400 and do not act on it.
 */
export async function verifyCallback<T = SaltEdgeCallbackPayload>(
  callback: SaltEdgeCallback,
  publicKey: string | CryptoKey,
  options: VerifyCallbackOptions = {},
): Promise<T> {
  // The key is checked first, so a misconfigured server fails loudly even on unsigned callbacks.
  const key = typeof publicKey === "string" ? await importCallbackPublicKey(publicKey) : publicKey;
  const body = typeof callback.body === "string" ? new TextEncoder().encode(callback.body) : callback.body;
  const signature = callback.signature?.trim();
  if (!signature) {
    if (!options.allowUnsigned) {
      throw new AuthenticationError(
        `${PROVIDER} callback has no Signature header; refuse it (pass allowUnsigned only for local tests).`,
        { provider: PROVIDER, code: "CallbackSignatureMissing" },
      );
    }
  } else {
    const prefix = new TextEncoder().encode(`${callback.url}|`);
    const signed = new Uint8Array(prefix.length + body.length);
    signed.set(prefix);
    signed.set(body, prefix.length);
    const bytes = fromBase64(signature);
    const valid = bytes !== undefined && (await crypto.subtle.verify("RSASSA-PKCS1-v1_5", key, bytes, signed));
    if (!valid) {
      throw new AuthenticationError(
        `${PROVIDER} callback signature does not verify for this URL and body; refuse it. Check that url is the` +
          " callback URL configured at Salt Edge and body the raw bytes received.",
        { provider: PROVIDER, code: "CallbackSignatureInvalid" },
      );
    }
  }
  try {
    return JSON.parse(new TextDecoder().decode(body)) as T;
  } catch {
    throw new XError(`${PROVIDER} callback body is not JSON.`, { provider: PROVIDER, code: "CallbackBodyInvalid" });
  }
}

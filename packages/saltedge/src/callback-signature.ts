import { AuthenticationError, XError } from "@x/core";
import { fromBase64, rsaPublicKeyDer } from "./pem.js";
import { PROVIDER } from "./provider.js";
import type { SignatureAlgorithm } from "./signing.js";

/** A callback as the app's HTTP server received it. */
export interface SaltEdgeCallback {
  /** The callback URL exactly as configured in the Salt Edge dashboard (what Salt Edge signed). */
  url: string;
  /** The raw request body: bytes, or the text exactly as received (not re-serialised JSON). */
  body: string | Uint8Array;
  /**
   * The `Signature` header as the server gives it (Node types a header as `string | string[] | undefined`); missing
   * or empty means unsigned, and more than one value is refused.
   */
  signature: string | readonly string[] | null | undefined;
}

export interface VerifyCallbackOptions {
  /** Accept a callback without a `Signature` header (e.g. a local test). Default false. */
  allowUnsigned?: boolean;
}

const HASHES: Record<SignatureAlgorithm, string> = { sha256: "SHA-256", sha1: "SHA-1" };

/** Imports Salt Edge's public key once, for servers that verify many callbacks. */
export function importPublicKey(publicKey: string, algorithm: SignatureAlgorithm): Promise<CryptoKey> {
  const der = rsaPublicKeyDer(publicKey, "publicKey");
  const params = { name: "RSASSA-PKCS1-v1_5", hash: HASHES[algorithm] };
  return crypto.subtle.importKey("spki", der, params, false, ["verify"]).catch(() => {
    throw new XError("publicKey could not be imported as an RSA public key; copy Salt Edge's public key again.", {
      provider: PROVIDER,
      code: "PUBLIC_KEY_INVALID",
    });
  });
}

/**
 * Checks a callback's `Signature` (base64 RSA PKCS#1 v1.5 of `"<url>|<raw body>"`, hashed with `algorithm`) and
 * returns the parsed body. Throws an `AuthenticationError` (`CallbackSignatureMissing`, `CallbackSignatureInvalid`)
 * when it cannot be trusted, and an `XError` (`CallbackBodyInvalid`) when a trusted body is not JSON.
 */
export async function verifySignedCallback(
  callback: SaltEdgeCallback,
  publicKey: string | CryptoKey,
  algorithm: SignatureAlgorithm,
  options: VerifyCallbackOptions = {},
): Promise<unknown> {
  // The key is checked first, so a misconfigured server fails loudly even on unsigned callbacks.
  const key = typeof publicKey === "string" ? await importPublicKey(publicKey, algorithm) : publicKey;
  const encoder = new TextEncoder();
  const body = typeof callback.body === "string" ? encoder.encode(callback.body) : callback.body;
  const header = callback.signature;
  if (Array.isArray(header) && header.length > 1) {
    throw new AuthenticationError(`${PROVIDER} callback has ${header.length} Signature headers; refuse it.`, {
      provider: PROVIDER,
      code: "CallbackSignatureInvalid",
    });
  }
  const signature = (typeof header === "string" ? header : header?.[0])?.trim();
  if (!signature) {
    if (!options.allowUnsigned) {
      throw new AuthenticationError(
        `${PROVIDER} callback has no Signature header; refuse it (pass allowUnsigned only for local tests).`,
        { provider: PROVIDER, code: "CallbackSignatureMissing" },
      );
    }
  } else {
    const prefix = encoder.encode(`${callback.url}|`);
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
    return JSON.parse(new TextDecoder().decode(body));
  } catch {
    throw new XError(`${PROVIDER} callback body is not JSON.`, { provider: PROVIDER, code: "CallbackBodyInvalid" });
  }
}

/**
 * Verifies a callback that arrived on the URL of one `kind` (one of `kinds`, checked first), and returns its payload
 * with that kind beside it, so a handler can `switch (event.kind)`. Throws an `XError` (`CallbackKindInvalid`) for an
 * unknown kind and (`CallbackBodyInvalid`) for a trusted body without a `data` object.
 */
export async function verifyCallbackOfKind(
  callback: SaltEdgeCallback & { kind: string },
  kinds: readonly string[],
  publicKey: string | CryptoKey,
  algorithm: SignatureAlgorithm,
  options: VerifyCallbackOptions,
): Promise<unknown> {
  if (!kinds.includes(callback?.kind)) {
    throw new XError(
      `${PROVIDER} callback kind must be one of ${kinds.join(", ")} (the callback URL it arrived on), got ` +
        `${JSON.stringify(String(callback?.kind))}.`,
      { provider: PROVIDER, code: "CallbackKindInvalid" },
    );
  }
  const payload = await verifySignedCallback(callback, publicKey, algorithm, options);
  const data = (payload as { data?: unknown } | null)?.data;
  if (typeof data !== "object" || data === null) {
    throw new XError(`${PROVIDER} callback body has no data object.`, {
      provider: PROVIDER,
      code: "CallbackBodyInvalid",
    });
  }
  return { ...(payload as { data: object }), kind: callback.kind };
}

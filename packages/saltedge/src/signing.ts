import { ConfigurationError, requestSigning, type Plugin } from "@x/core";
import { PROVIDER } from "./provider.js";
import { rsaPrivateKeyDer, toBase64 } from "./pem.js";

/** Hash of the RSA PKCS#1 v1.5 signature: SHA-256 from v4 on (v6 included), SHA-1 in v3. */
export type SignatureAlgorithm = "sha256" | "sha1";

export interface SaltEdgeSigningOptions {
  /** PEM, PKCS#8 or PKCS#1, RSA; its public key is the one uploaded in the Salt Edge dashboard. */
  privateKey: string;
  /** Default "sha256" (v4 and later); the v3 entry passes its own default, "sha1". */
  signatureAlgorithm?: SignatureAlgorithm;
  /** Lifetime of each signature in seconds; 1..3600, default 60. */
  expiresInSeconds?: number;
}

const HASHES: Record<SignatureAlgorithm, string> = { sha256: "SHA-256", sha1: "SHA-1" };
// Salt Edge raises ExpiresAtInvalid beyond now + 1 hour.
const MAX_EXPIRES_IN = 3600;

/**
 * The signing plugin: `Expires-at` and `Signature` on every attempt, over
 * `"<Expires-at>|<METHOD>|<full URL>|<body bytes as sent>"`. Everything that can be checked
 * without Web Crypto is checked here, synchronously, so a bad key fails at construction;
 * the key itself is imported once, on first use, because `importKey` is async.
 */
export function saltEdgeSigning(options: SaltEdgeSigningOptions): Plugin {
  const der = rsaPrivateKeyDer(options.privateKey, "privateKey");
  const algorithm = checkSignatureAlgorithm(options.signatureAlgorithm);
  const expiresIn = checkExpiresInSeconds(options.expiresInSeconds);

  let key: Promise<CryptoKey> | undefined;
  const importKey = () =>
    (key ??= crypto.subtle
      .importKey("pkcs8", der, { name: "RSASSA-PKCS1-v1_5", hash: HASHES[algorithm] }, false, ["sign"])
      .catch(() => {
        // Web Crypto's reason is generic ("invalid key data"); ours says what to do, without the key.
        throw new ConfigurationError(
          "privateKey could not be imported as an RSA private key; check that the PEM is complete and not corrupted.",
          { provider: PROVIDER, option: "privateKey" },
        );
      }));
  const encoder = new TextEncoder();

  return requestSigning(async ({ method, url, body }) => {
    const expiresAt = String(Math.floor(Date.now() / 1000) + expiresIn);
    const prefix = encoder.encode(`${expiresAt}|${method}|${url}|`);
    // The signed bytes are the sent bytes: the body is appended raw, not re-encoded from a string.
    const data = new Uint8Array(prefix.length + body.length);
    data.set(prefix);
    data.set(body, prefix.length);
    const signature = await crypto.subtle.sign("RSASSA-PKCS1-v1_5", await importKey(), data);
    return { "Expires-at": expiresAt, Signature: toBase64(new Uint8Array(signature)) };
  }, "saltedge-signing");
}

/** Validates `signatureAlgorithm`; `fallback` when it is not given. */
export function checkSignatureAlgorithm(value: unknown, fallback: SignatureAlgorithm = "sha256"): SignatureAlgorithm {
  const algorithm = value ?? fallback;
  if (algorithm !== "sha256" && algorithm !== "sha1") {
    throw new ConfigurationError(`signatureAlgorithm must be "sha256" or "sha1", got ${JSON.stringify(algorithm)}.`, {
      provider: PROVIDER,
      option: "signatureAlgorithm",
    });
  }
  return algorithm;
}

/** Validates `expiresInSeconds`; default 60, as Salt Edge suggests. */
export function checkExpiresInSeconds(value: unknown): number {
  const expiresIn = value ?? 60;
  if (typeof expiresIn !== "number" || !Number.isInteger(expiresIn) || expiresIn <= 0 || expiresIn > MAX_EXPIRES_IN) {
    throw new ConfigurationError(
      `expiresInSeconds must be a whole number of seconds from 1 to ${MAX_EXPIRES_IN} (Salt Edge refuses an` +
        ` Expires-at more than one hour ahead with ExpiresAtInvalid), got ${String(expiresIn)}.`,
      { provider: PROVIDER, option: "expiresInSeconds" },
    );
  }
  return expiresIn;
}

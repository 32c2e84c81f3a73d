import { createVerify, generateKeyPairSync } from "node:crypto";
import { FAST_RETRY, type RecordedRequest, type StartedEmulator } from "@x/testing";
import { createSaltEdgeClient, type SaltEdgeClientOptions } from "../src/index.js";

/** The Salt Edge v6 emulator, as `startEmulator("saltedge", options)` starts it. */
export type SaltEdgeEmulator = StartedEmulator<"saltedge">;

/** A fresh RSA key pair: PKCS#8 and PKCS#1 private PEMs and the SPKI public PEM. */
export function rsaKeys() {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  return {
    pkcs8: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
    pkcs1: privateKey.export({ type: "pkcs1", format: "pem" }).toString(),
    publicPem: publicKey.export({ type: "spki", format: "pem" }).toString(),
  };
}

/** A v6 client on the emulator with its demo credentials and FAST_RETRY; `overrides` win. */
export function sandboxClient(emulator: SaltEdgeEmulator, overrides: Partial<SaltEdgeClientOptions> = {}) {
  const { appId, secret, privateKey } = emulator.credentials;
  return createSaltEdgeClient({ appId, secret, privateKey, baseUrl: emulator.url, retry: FAST_RETRY, ...overrides });
}

/**
 * Verifies a recorded request's `Signature` with node:crypto and the public key, independently of the SDK's
 * signing code: RSA-SHA256 over `"<Expires-at>|<METHOD>|<full URL>|<body as sent>"`.
 */
export function signatureVerifies(request: RecordedRequest, baseUrl: string, publicPem: string): boolean {
  const origin = new URL(baseUrl).origin;
  const verifier = createVerify("RSA-SHA256");
  verifier.update(`${request.headers["expires-at"]}|${request.method}|${origin}${request.url}|`);
  verifier.update(Buffer.from(request.body, "utf8"));
  return verifier.verify(publicPem, String(request.headers.signature), "base64");
}

/** The end user's login at the fake bank: what the page at `connect_url` posts (sandbox only). */
export async function bankLogin(connectUrl: string) {
  const response = await fetch(connectUrl, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ login: "username", password: "secret" }),
  });
  return ((await response.json()) as { data: { connection_id: string } }).data;
}

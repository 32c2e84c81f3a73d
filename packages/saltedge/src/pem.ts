import { ConfigurationError } from "@x/core";
import { PROVIDER } from "./provider.js";

/**
 * PEM to the DER that Web Crypto imports. Web Crypto takes only PKCS#8 private keys and
 * SPKI public keys, while Salt Edge's own instructions (`openssl genrsa`) produce PKCS#1
 * ("BEGIN RSA PRIVATE KEY"); those are wrapped here by hand. Every message names the
 * option and what was found, never the key's bytes.
 */

// DER of the AlgorithmIdentifier SEQUENCE { OID 1.2.840.113549.1.1.1 (rsaEncryption), NULL }.
const RSA_ALGORITHM = Uint8Array.of(
  0x30,
  0x0d,
  0x06,
  0x09,
  0x2a,
  0x86,
  0x48,
  0x86,
  0xf7,
  0x0d,
  0x01,
  0x01,
  0x01,
  0x05,
  0x00,
);

/** The error about a key option: names the option and what was found, never the key's bytes. */
const keyError = (option: string, message: string) => new ConfigurationError(message, { provider: PROVIDER, option });

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/;

interface PemBlock {
  label: string;
  der: Uint8Array<ArrayBuffer>;
}

function readPem(value: unknown, option: string, expected: string): PemBlock {
  if (typeof value !== "string" || value.trim() === "") {
    throw keyError(option, `${option} must be a PEM string (${expected}).`);
  }
  const match = PEM_BLOCK.exec(value);
  if (!match) {
    throw keyError(option, `${option} is not PEM: expected a "-----BEGIN ...-----" block (${expected}).`);
  }
  const base64 = (match[2] ?? "").replace(/\s+/g, "");
  const der = fromBase64(base64);
  if (!der || der.length === 0) {
    throw keyError(option, `${option}: the body of the ${match[1]} block is not valid base64.`);
  }
  return { label: match[1] as string, der };
}

/** Length octets of DER (short or long form). */
function derLength(length: number): number[] {
  if (length < 0x80) return [length];
  const bytes: number[] = [];
  for (let n = length; n > 0; n = Math.floor(n / 256)) bytes.unshift(n % 256);
  return [0x80 | bytes.length, ...bytes];
}

function derNode(tag: number, ...parts: Uint8Array[]): Uint8Array<ArrayBuffer> {
  const length = parts.reduce((sum, p) => sum + p.length, 0);
  const header = [tag, ...derLength(length)];
  const out = new Uint8Array(header.length + length);
  out.set(header);
  let offset = header.length;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** Reads one DER header at `offset`: the tag, where its content starts and its length. */
function derHeader(der: Uint8Array, offset: number): { tag: number; start: number; length: number } | undefined {
  const tag = der[offset];
  const first = der[offset + 1];
  if (tag === undefined || first === undefined) return undefined;
  if (first < 0x80) return { tag, start: offset + 2, length: first };
  const count = first & 0x7f;
  if (count === 0 || count > 4) return undefined;
  let length = 0;
  for (let i = 0; i < count; i++) {
    const byte = der[offset + 2 + i];
    if (byte === undefined) return undefined;
    length = length * 256 + byte;
  }
  return { tag, start: offset + 2 + count, length };
}

/** True when the DER holds `SEQUENCE { [INTEGER version,] SEQUENCE { rsaEncryption ... } ... }`. */
function hasRsaAlgorithm(der: Uint8Array, withVersion: boolean): boolean {
  const outer = derHeader(der, 0);
  if (outer?.tag !== 0x30) return false;
  let offset = outer.start;
  if (withVersion) {
    const version = derHeader(der, offset);
    if (version?.tag !== 0x02) return false;
    offset = version.start + version.length;
  }
  return RSA_ALGORITHM.every((byte, i) => der[offset + i] === byte);
}

/** Validates an RSA private key PEM synchronously and returns its PKCS#8 DER. */
export function rsaPrivateKeyDer(value: unknown, option = "privateKey"): Uint8Array<ArrayBuffer> {
  const expected = 'an RSA private key, "BEGIN PRIVATE KEY" (PKCS#8) or "BEGIN RSA PRIVATE KEY" (PKCS#1)';
  const { label, der } = readPem(value, option, expected);
  if (label === "RSA PRIVATE KEY") {
    if (derHeader(der, 0)?.tag !== 0x30) {
      throw keyError(option, `${option}: the RSA PRIVATE KEY block is not a DER sequence; export the key again.`);
    }
    // PKCS#8 PrivateKeyInfo ::= SEQUENCE { INTEGER 0, AlgorithmIdentifier, OCTET STRING { PKCS#1 key } }
    return derNode(0x30, Uint8Array.of(0x02, 0x01, 0x00), RSA_ALGORITHM, derNode(0x04, der));
  }
  if (label === "PRIVATE KEY") {
    if (!hasRsaAlgorithm(der, true)) {
      const need = "Salt Edge signatures need an RSA key (openssl genrsa 2048)";
      throw keyError(option, `${option} is a PKCS#8 key of another algorithm; ${need}.`);
    }
    return der;
  }
  if (label === "ENCRYPTED PRIVATE KEY") {
    throw keyError(option, `${option} is encrypted; decrypt it first (openssl pkcs8 -topk8 -nocrypt).`);
  }
  throw keyError(option, `${option} is a "${label}" block, expected ${expected}.`);
}

/** Validates an RSA public key PEM ("BEGIN PUBLIC KEY" or "BEGIN RSA PUBLIC KEY") and returns its SPKI DER. */
export function rsaPublicKeyDer(value: unknown, option = "publicKey"): Uint8Array<ArrayBuffer> {
  const expected = 'Salt Edge\'s RSA public key, "BEGIN PUBLIC KEY" (SPKI) or "BEGIN RSA PUBLIC KEY" (PKCS#1)';
  const { label, der } = readPem(value, option, expected);
  if (label === "RSA PUBLIC KEY") {
    // SubjectPublicKeyInfo ::= SEQUENCE { AlgorithmIdentifier, BIT STRING { 0 unused bits, PKCS#1 key } }
    return derNode(0x30, RSA_ALGORITHM, derNode(0x03, Uint8Array.of(0x00), der));
  }
  if (label === "PUBLIC KEY") {
    if (!hasRsaAlgorithm(der, false)) {
      throw keyError(option, `${option} is a public key of another algorithm; Salt Edge signs with RSA.`);
    }
    return der;
  }
  throw keyError(option, `${option} is a "${label}" block, expected ${expected}.`);
}

/** base64 of bytes, without Buffer, so it runs in browsers, Deno and edge runtimes. */
export function toBase64(bytes: Uint8Array): string {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

export function fromBase64(value: string): Uint8Array<ArrayBuffer> | undefined {
  try {
    return Uint8Array.from(atob(value.trim()), (c) => c.charCodeAt(0));
  } catch {
    return undefined;
  }
}

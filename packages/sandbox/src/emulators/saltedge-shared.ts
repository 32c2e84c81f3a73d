// What the two Salt Edge emulators (v6 and v3) share: demo keys, the fake bank and its reference data.
import { generateKeyPairSync, type KeyObject } from "node:crypto";

/**
 * Key pairs shared by both Salt Edge emulators, made once per process when first asked for: the demo app's key (its
 * private half is a demo credential, its public half registered by default) and the emulator's own callback-signing
 * key (Salt Edge's private key, whose public half the app verifies callbacks with).
 */
let keys:
  | { app: { privatePem: string; publicPem: string }; callback: { privateKey: KeyObject; publicPem: string } }
  | undefined;

export function demoKeys() {
  if (!keys) {
    const app = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const callback = generateKeyPairSync("rsa", { modulusLength: 2048 });
    keys = {
      app: {
        privatePem: app.privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
        publicPem: app.publicKey.export({ type: "spki", format: "pem" }).toString(),
      },
      callback: {
        privateKey: callback.privateKey,
        publicPem: callback.publicKey.export({ type: "spki", format: "pem" }).toString(),
      },
    };
  }
  return keys;
}

/** Salt Edge refuses an `Expires-at` more than one hour ahead (ExpiresAtInvalid). */
export const MAX_EXPIRES_IN = 3600;

/** The fake bank's credentials, as on Salt Edge's fakebank_simple_xf. */
export const FAKE_BANK = { login: "username", password: "secret" };

// Non-ASCII on purpose: clients must sign and parse UTF-8 bodies byte for byte.
export const MERCHANTS = [
  "Café Müller",
  "Boulangerie Élise",
  "Łódź Kiosk",
  "東京ラーメン",
  "Supermarché",
  "Zürich Bahnhof",
  "Spotify",
];

export const COUNTRIES = [
  { code: "XF", name: "Fake" },
  { code: "DE", name: "Germany" },
  { code: "FR", name: "France" },
  { code: "GB", name: "United Kingdom" },
  { code: "MD", name: "Moldova" },
];
const FAKE_BANK_KINDS = [
  "simple",
  "interactive",
  "oauth",
  "with_fields",
  "semi_interactive",
  "image",
  "select",
  "error",
  "client",
  "api",
  "multiple",
  "token",
  "csv",
];
export const PROVIDERS = FAKE_BANK_KINDS.map((kind, i) => ({
  id: String(1000 + i),
  code: `fakebank_${kind}_xf`,
  name: `Fake Bank ${kind.replace(/_/g, " ")}`,
  mode: kind === "oauth" ? "oauth" : kind === "api" ? "api" : kind === "csv" ? "file" : "web",
  status: "active",
  country_code: "XF",
  interactive: kind.includes("interactive"),
  automatic_fetch: true,
}));

// What the two Salt Edge emulators (v6 and v3) share: demo keys, the fake bank and its reference data.
import { createVerify, generateKeyPairSync, type KeyObject } from "node:crypto";
import type { ServerResponse } from "node:http";
import { HttpError, sameSecret } from "../emulator.js";
import type { EmulatorRequest, Fail, RouteHandler } from "../emulator.js";

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

/** A Salt Edge version's `fail`: status, error class, message, and the request it refuses. */
export type SaltEdgeFail = Fail<[errorClass: string, message: string, req?: EmulatorRequest]>;

/** What one API version's app-level guard needs to know; the rest of the guard is the same in every version. */
export interface AppLevelChecks {
  state: { rateLimited: { count: number; retryAfter: number } };
  fail: SaltEdgeFail;
  /** Whether an error body is already in this version's error shape. */
  hasErrorClass(body: unknown): boolean;
  /** The app's two credential headers (lower case), their expected values, and the refusal's message. */
  credentials: { headers: [string, string]; expected: [string, string]; refusal: string };
  verifySignature(req: EmulatorRequest, baseUrl: string): void;
  /**
   * Serves a request that is not the app's (v6's bank login is the end user's browser) before any check, returning
   * its promise; `undefined` for every other request.
   */
  openRoute?(req: EmulatorRequest, res: ServerResponse): Promise<void> | undefined;
}

/**
 * What every API request passes before its route, in every Salt Edge version: the rate limit switch, the app's two
 * credentials, the version's signature check. The router's own 404/405/400 come out in the version's error shape.
 */
export function appLevel(checks: AppLevelChecks, route: RouteHandler): RouteHandler {
  const { state, fail, credentials } = checks;
  return async (req, res, ctx) => {
    try {
      const open = checks.openRoute?.(req, res);
      if (open) return await open;
      if (state.rateLimited.count > 0) {
        state.rateLimited.count--;
        const error = fail(429, "RateLimitExceeded", "Too many requests; retry later.", req);
        throw error.withHeaders({ "retry-after": String(state.rateLimited.retryAfter) });
      }
      // Both compared, always, so the answer time does not tell which of the two was wrong.
      const idOk = sameSecret(req.headers[credentials.headers[0]], credentials.expected[0]);
      const secretOk = sameSecret(req.headers[credentials.headers[1]], credentials.expected[1]);
      if (!idOk || !secretOk) throw fail(401, "ClientNotFound", credentials.refusal, req);
      checks.verifySignature(req, ctx.baseUrl);
      await route(req, res, ctx);
    } catch (error) {
      if (error instanceof HttpError && !checks.hasErrorClass(error.body)) {
        const errorClass = error.status === 404 || error.status === 405 ? "RouteNotFound" : "WrongRequestFormat";
        throw fail(error.status, errorClass, `${req.method} ${req.path} is not a Salt Edge route.`, req);
      }
      throw error;
    }
  };
}

/** How much of the body a refusal reason quotes: enough to see which request it was, not a whole payload. */
const QUOTED_BODY_CHARS = 200;

/**
 * Checks a signed request's `Expires-at` and `Signature` the way every Salt Edge version does: an Expires-at at most
 * an hour ahead and not past, then RSA over `"<Expires-at>|<METHOD>|<full URL>|<body as sent>"`. A mismatch carries,
 * for the dashboard, the exact string the sandbox verified, which is what a developer must compare with their own.
 */
export function verifySignedRequest(
  req: EmulatorRequest,
  signed: { expiresAt: string; signature: string; baseUrl: string; publicPem: string; digest: "sha1" | "sha256" },
  fail: SaltEdgeFail,
): void {
  const expires = Number(signed.expiresAt);
  const now = Math.floor(Date.now() / 1000);
  if (!/^\d+$/.test(signed.expiresAt) || expires > now + MAX_EXPIRES_IN) {
    throw fail(400, "ExpiresAtInvalid", "Expires-at must be a UNIX time at most one hour from now.", req);
  }
  if (expires < now) throw fail(401, "RequestExpired", "The request expired (Expires-at is in the past).", req);
  const url = `${signed.baseUrl}${req.url.pathname}${req.url.search}`;
  const prefix = `${signed.expiresAt}|${req.method.toUpperCase()}|${url}|`;
  const algorithm = signed.digest === "sha1" ? "RSA-SHA1" : "RSA-SHA256";
  const verifier = createVerify(algorithm);
  verifier.update(prefix);
  verifier.update(req.body);
  if (verifier.verify(signed.publicPem, signed.signature, "base64")) return;
  const body = req.body.toString("utf8");
  const quoted = body.length > QUOTED_BODY_CHARS ? `${body.slice(0, QUOTED_BODY_CHARS)}… (${body.length} chars)` : body;
  const error: HttpError = fail(401, "SignatureNotMatch", "The signature does not match the request.", req);
  throw error.withReason(
    `SignatureNotMatch: the sandbox verified ${algorithm} over "${prefix}${quoted}" with the registered public key; ` +
      "sign exactly that string (the full URL with its query, the body byte for byte as sent)",
  );
}

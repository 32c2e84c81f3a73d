import { providerErrorGuard } from "@x/core";
import { PROVIDER } from "./provider.js";

export { PROVIDER };

/**
 * Error classes Salt Edge names in `error.class`; the `code` of every error the SDK throws for a Salt Edge error
 * body. Open-ended, because Salt Edge adds classes.
 */
export type SaltEdgeErrorClass =
  | "ExpiresAtInvalid"
  | "SignatureNotMatch"
  | "MissingSignature"
  | "MissingExpiresAt"
  | "RequestExpired"
  | "PublicKeyNotProvided"
  | "ClientNotFound"
  | "CustomerNotFound"
  | "DuplicatedCustomer"
  | "ConnectionNotFound"
  | "AccountNotFound"
  | "ProviderNotFound"
  | "WrongRequestFormat"
  | "JsonParseError"
  | "RouteNotFound"
  | "RateLimitExceeded"
  | "InternalServerError"
  | (string & {});

/** The error body of v5 and later: `{ error: { class, message, documentation_url }, request }`. */
export interface SaltEdgeErrorBody {
  error: { class: SaltEdgeErrorClass; message: string; documentation_url?: string };
  request?: unknown;
}

export function isSaltEdgeErrorBody(body: unknown): body is SaltEdgeErrorBody {
  return typeof (body as { error?: { class?: unknown } } | null)?.error?.class === "string";
}

/** `describeError` for core: the error's `class` becomes the thrown error's `code`, its `message` the detail. */
export function describeSaltEdgeError(body: unknown): { code?: string; message?: string } | undefined {
  if (!isSaltEdgeErrorBody(body)) return undefined;
  const { message } = body.error;
  return { code: body.error.class, message: typeof message === "string" ? message : undefined };
}

/** Codes the SDK itself sets on Salt Edge errors: callbacks and a bad public key. */
export type SaltEdgeSdkErrorCode =
  | "PUBLIC_KEY_INVALID"
  | "CallbackSignatureMissing"
  | "CallbackSignatureInvalid"
  | "CallbackBodyInvalid"
  | "CallbackKindInvalid";

/** The `code` of an error of @x/saltedge: Salt Edge's error class, or one of the SDK's own. */
export type SaltEdgeErrorCode = SaltEdgeErrorClass | SaltEdgeSdkErrorCode;

/**
 * Whether `error` is an error of @x/saltedge (any class: `ApiError`, `AuthenticationError`, `ConfigurationError`,
 * `TimeoutError`, ...), optionally with one code: `if (isSaltEdgeError(e, "ConnectionNotFound")) ...`. A brand
 * check, so it holds when an app loads both the ESM and the CommonJS build, or both entries.
 */
export const isSaltEdgeError = /* @__PURE__ */ providerErrorGuard<SaltEdgeErrorCode, typeof PROVIDER>(PROVIDER);

import { providerErrorGuard } from "@x/core";
import { PROVIDER } from "../provider.js";

export { PROVIDER };

/**
 * Error classes Salt Edge names in `error_class` (the v3 list); the `code` of every error
 * the SDK throws for a Salt Edge error body. Open-ended, because Salt Edge adds classes.
 */
export type SaltEdgeErrorClass =
  | "ExpiresAtInvalid"
  | "SignatureNotMatch"
  | "MissingSignature"
  | "MissingExpiresAt"
  | "RequestExpired"
  | "PublicKeyNotProvided"
  | "ClientNotFound"
  | "ClientDisabled"
  | "CustomerNotFound"
  | "DuplicatedCustomer"
  | "LoginNotFound"
  | "ProviderNotFound"
  | "AccountNotFound"
  | "AttemptNotFound"
  | "InvalidCredentials"
  | "WrongRequestFormat"
  | "JsonParseError"
  | "RouteNotFound"
  | "DateOutOfRange"
  | "RateLimitExceeded"
  | "InternalServerError"
  | (string & {});

/** The v3 error body. */
export interface SaltEdgeErrorBody {
  error_class: SaltEdgeErrorClass;
  error_message: string;
  request?: unknown;
}

export function isSaltEdgeErrorBody(body: unknown): body is SaltEdgeErrorBody {
  return typeof (body as { error_class?: unknown } | null)?.error_class === "string";
}

/** `describeError` for core: the `error_class` becomes the error's `code`. */
export function describeSaltEdgeError(body: unknown): { code?: string; message?: string } | undefined {
  if (!isSaltEdgeErrorBody(body)) return undefined;
  const message = typeof body.error_message === "string" ? body.error_message : undefined;
  return { code: body.error_class, message };
}

/** Codes the SDK itself sets on Salt Edge errors: a call above the client's level, callbacks, a bad public key. */
export type SaltEdgeSdkErrorCode =
  | "LEVEL_MISSING"
  | "PUBLIC_KEY_INVALID"
  | "CallbackSignatureMissing"
  | "CallbackSignatureInvalid"
  | "CallbackBodyInvalid"
  | "CallbackKindInvalid";

/** The `code` of an error of @x/saltedge: Salt Edge's `error_class`, or one of the SDK's own. */
export type SaltEdgeErrorCode = SaltEdgeErrorClass | SaltEdgeSdkErrorCode;

/**
 * Whether `error` is an error of @x/saltedge (any class: `ApiError`, `AuthenticationError`, `ConfigurationError`,
 * `TimeoutError`, ...), optionally with one code: `if (isSaltEdgeError(e, "CustomerNotFound")) ...`. A brand
 * check, so it holds when an app loads both the ESM and the CommonJS build.
 */
export const isSaltEdgeError = /* @__PURE__ */ providerErrorGuard<SaltEdgeErrorCode, typeof PROVIDER>(PROVIDER);

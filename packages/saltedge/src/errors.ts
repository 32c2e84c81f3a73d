import { ApiError, AuthenticationError, XError } from "@x/core";

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
  return typeof body === "object" && body !== null && typeof (body as { error_class?: unknown }).error_class === "string";
}

/** `describeError` for core: the `error_class` becomes the error's `code`. */
export function describeSaltEdgeError(body: unknown): { code?: string; message?: string } | undefined {
  if (!isSaltEdgeErrorBody(body)) return undefined;
  return { code: body.error_class, message: typeof body.error_message === "string" ? body.error_message : undefined };
}

/**
 * Narrows an error thrown by the SDK to a Salt Edge error, optionally of one class:
 * `if (isSaltEdgeError(e, "CustomerNotFound")) ...`.
 */
export function isSaltEdgeError<C extends SaltEdgeErrorClass>(
  error: unknown,
  code?: C,
): error is (ApiError | AuthenticationError) & { provider: "saltedge"; code: C } {
  return (
    (error instanceof ApiError || error instanceof AuthenticationError) &&
    (error as XError).provider === "saltedge" &&
    typeof error.code === "string" &&
    (code === undefined || error.code === code)
  );
}

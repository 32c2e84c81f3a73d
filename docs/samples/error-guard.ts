// src/errors.ts of a provider package: the provider's name, its error codes, the describer and the guard.
import { providerErrorGuard } from "@x/core";

/** The provider's name, in errors, events and token-cache keys: this constant, never the string written out. */
export const PROVIDER = "acme";

/**
 * The `error.code` values Acme documents. `ApiError.code` carries one of them, or one Acme added since (hence
 * `string & {}`, which keeps the completions of the known ones).
 */
export type AcmeErrorCode = "invalid_credentials" | "key_revoked" | "not_found" | "rate_limited" | (string & {});

/**
 * Reads Acme's error body, `{ error: { code, message } }`, for `ApiError` (the client's `describeError`) and for the
 * auth plugin's `AuthenticationError` (`describeRejection`). Any other body (a proxy's HTML page) gives nothing, and
 * the error still has its status.
 */
export function describeAcmeError(body: unknown): { code?: AcmeErrorCode; message?: string } | undefined {
  const error = (body as { error?: unknown } | null | undefined)?.error;
  if (error === null || typeof error !== "object") return undefined;
  const { code, message } = error as { code?: unknown; message?: unknown };
  return {
    ...(typeof code === "string" ? { code } : {}),
    ...(typeof message === "string" ? { message: message.slice(0, 200) } : {}),
  };
}

/**
 * `isAcmeError(e)`: an error of this provider, whichever class (`ApiError`, `AuthenticationError`, `TimeoutError`,
 * ...); `isAcmeError(e, "not_found")`: one code, narrowed. A brand check, not `instanceof`: it holds when an app
 * loads both the ESM and the CommonJS build of @x/core, where `instanceof` against the other copy's class is false.
 */
export const isAcmeError = providerErrorGuard<AcmeErrorCode, typeof PROVIDER>(PROVIDER);

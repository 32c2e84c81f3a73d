import { providerErrorGuard } from "@x/core";

/** The provider's name, in errors, events and token-cache keys: this constant, never the string written out. */
export const PROVIDER = "ledgerly";

/** The `error.code` values Ledgerly documents; `ApiError.code` carries one of them (or a newer one, hence `string`). */
export type LedgerlyErrorCode =
  | "invalid_token"
  | "insufficient_scope"
  | "invalid_cursor"
  | "unbalanced_entry"
  | "not_found"
  | "rate_limited"
  | (string & {});

/**
 * Reads Ledgerly's error body `{ error: { code, message } }` for @x/core's `ApiError`. Anything else (an HTML page
 * from a proxy) yields nothing, and the ApiError still carries the status.
 */
export function describeLedgerlyError(body: unknown): { code?: LedgerlyErrorCode; message?: string } | undefined {
  if (body === null || typeof body !== "object") return undefined;
  const error = (body as { error?: unknown }).error;
  if (error === null || typeof error !== "object") return undefined;
  const { code, message } = error as { code?: unknown; message?: unknown };
  return {
    ...(typeof code === "string" ? { code } : {}),
    ...(typeof message === "string" ? { message: message.slice(0, 200) } : {}),
  };
}

/**
 * `isLedgerlyError(e)`: any error of this provider (`ApiError`, `AuthenticationError`, ...);
 * `isLedgerlyError(e, "unbalanced_entry")`: one code, narrowed. A brand check, not `instanceof`, so it holds when an
 * app loads both the ESM and the CommonJS copy of @x/core.
 */
export const isLedgerlyError = providerErrorGuard<LedgerlyErrorCode, typeof PROVIDER>(PROVIDER);

/** The `error.code` values Ledgerly documents; `ApiError.code` carries one of them (or a newer one, hence `string`). */
export type LedgerlyErrorCode = "invalid_token" | "insufficient_scope" | "unbalanced_entry" | "not_found" | "rate_limited" | (string & {});

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

import { providerErrorGuard } from "@x/core";

/** The provider name: in errors, events and cache keys. */
export const PROVIDER = "sfs";

/**
 * SFS error bodies are `{ code: "<status>", message }`: the code only repeats the HTTP status.
 * The SDK turns it into a name a program can switch on, so `ApiError.code` reads `"NOT_FOUND"`
 * rather than `"404"`.
 */
export const SFS_ERROR_CODES = {
  "400": "BAD_REQUEST",
  "401": "UNAUTHORIZED",
  "403": "FORBIDDEN",
  "404": "NOT_FOUND",
  "429": "RATE_LIMITED",
  "500": "SERVER_ERROR",
} as const;

/** The `code` of an `ApiError` from SFS; `SERVER_ERROR` covers every 5xx. */
export type SfsErrorCode = (typeof SFS_ERROR_CODES)[keyof typeof SFS_ERROR_CODES];

/** Reads an SFS error body for core's `ApiError`: typed code and the provider's message. */
export function describeSfsError(body: unknown): { code?: SfsErrorCode; message?: string } | undefined {
  if (body === null || typeof body !== "object") return undefined;
  const { code, message } = body as { code?: unknown; message?: unknown };
  const status = typeof code === "string" ? code : undefined;
  const named =
    status === undefined
      ? undefined
      : status.startsWith("5")
        ? "SERVER_ERROR"
        : SFS_ERROR_CODES[status as keyof typeof SFS_ERROR_CODES];
  return {
    ...(named ? { code: named } : {}),
    ...(typeof message === "string" ? { message: message.slice(0, 200) } : {}),
  };
}

/**
 * Whether `error` is an error of @x/sfs (any class: `ApiError`, `AuthenticationError`, `TimeoutError`, ...),
 * optionally with one code: an `SfsErrorCode`, one of core's, `UNKNOWN_CLIENT_KEY` (the `AuthenticationError` of
 * a `forClient` handle whose client key SFS does not know) or `UNEXPECTED_RESPONSE` (a list answer without its
 * envelope's array, from the list helpers). A brand check, so it holds when an app loads both the
 * ESM and the CommonJS build.
 *
 * @example
 * catch (e) { if (isSfsError(e, "NOT_FOUND")) return undefined; throw e; }
 */
export const isSfsError = /* @__PURE__ */ providerErrorGuard<
  SfsErrorCode | "UNKNOWN_CLIENT_KEY" | "UNEXPECTED_RESPONSE",
  typeof PROVIDER
>(PROVIDER);

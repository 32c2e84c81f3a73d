import { providerErrorGuard } from "@x/core";

/** The provider name: in errors, events and cache keys. */
export const PROVIDER = "finapi";

/**
 * Codes an @x/finapi error can carry in `error.code`: finAPI's own (`ErrorMessage.errors[0].code`,
 * or the OAuth `error` of a refused client) and the SDK's for the Process Controller flow.
 */
export type FinapiErrorCode =
  | "BAD_REQUEST"
  | "ENTITY_EXISTS"
  | "ILLEGAL_ENTITY_STATE"
  | "ILLEGAL_FIELD_VALUE"
  | "INVALID_TOKEN"
  | "LOCKED"
  | "MISSING_FIELD"
  | "UNKNOWN_ENTITY"
  | "USER_NOT_VERIFIED"
  | "WEB_FORM_REQUIRED"
  | "ADDITIONAL_AUTHENTICATION_REQUIRED"
  | "UNEXPECTED_ERROR"
  | "invalid_client"
  /** The user token obtained from a process was refused: start a new process. */
  | "PROCESS_TOKEN_EXPIRED"
  /** The process token was already exchanged (or is unknown): it cannot give another user token. */
  | "PROCESS_TOKEN_USED";

/**
 * Whether `error` is an error of @x/finapi (any class: `ApiError`, `AuthenticationError`, `TimeoutError`, ...),
 * optionally with one code. A brand check, so it holds when an app loads both the ESM and the CommonJS build.
 *
 * @example
 * catch (e) { if (isFinapiError(e, "ENTITY_EXISTS")) return existing; throw e; }
 */
export const isFinapiError = /* @__PURE__ */ providerErrorGuard<FinapiErrorCode, typeof PROVIDER>(PROVIDER);

/**
 * `describeError` for core: reads finAPI's two error shapes, `ErrorMessage` (`{ errors: [{ code, message }] }`)
 * and the OAuth `{ error, error_description }` of a refused client. finAPI quotes rejected field values in the
 * message; core scrubs the client's `secrets` from it, and from `error.body`, wherever the error is built.
 */
export function describeFinapiError(body: unknown): { code?: string; message?: string } | undefined {
  if (body === null || typeof body !== "object") return undefined;
  const record = body as {
    errors?: Array<{ code?: unknown; message?: unknown }>;
    error?: unknown;
    error_description?: unknown;
  };
  const first = Array.isArray(record.errors) ? record.errors[0] : undefined;
  const code =
    typeof first?.code === "string" ? first.code : typeof record.error === "string" ? record.error : undefined;
  const message =
    typeof first?.message === "string"
      ? first.message
      : typeof record.error_description === "string"
        ? record.error_description
        : undefined;
  return { code, message: message?.slice(0, 200) };
}

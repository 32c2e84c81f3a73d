import { ApiError, AuthenticationError, scrubSecrets } from "@x/core";

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

/** Narrows an unknown error to an @x/finapi API or authentication error, optionally with one code. */
export function isFinapiError(error: unknown, code?: FinapiErrorCode): error is (ApiError | AuthenticationError) & { code: FinapiErrorCode | undefined } {
  return (error instanceof ApiError || error instanceof AuthenticationError) && error.provider === "finapi" && (code === undefined || error.code === code);
}

/**
 * Reads finAPI's two error shapes: `ErrorMessage` (`{ errors: [{ code, message }] }`) and the
 * OAuth `{ error, error_description }` of a refused client. `secrets` are cut out of the
 * message, because finAPI quotes rejected field values and a message ends up in logs.
 */
export function finapiErrorDescriber(secrets: readonly string[]) {
  return (body: unknown): { code?: string; message?: string } | undefined => {
    if (body === null || typeof body !== "object") return undefined;
    const record = body as { errors?: Array<{ code?: unknown; message?: unknown }>; error?: unknown; error_description?: unknown };
    const first = Array.isArray(record.errors) ? record.errors[0] : undefined;
    const code = typeof first?.code === "string" ? first.code : typeof record.error === "string" ? record.error : undefined;
    const raw = typeof first?.message === "string" ? first.message : typeof record.error_description === "string" ? record.error_description : undefined;
    return { code, message: raw === undefined ? undefined : scrubSecrets(raw.slice(0, 200), secrets) };
  };
}

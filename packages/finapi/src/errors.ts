import { ApiError, providerErrorGuard } from "@x/core";
import type { components } from "./generated/schema.js";
import type { components as webFormComponents } from "./generated/webform/schema.js";

/** The provider name: in errors, events and cache keys. */
export const PROVIDER = "finapi";

/** The bank's challenge in a 510 answer: what the user must do (a TAN, a redirect, a decoupled approval). */
export type MultiStepAuthentication = components["schemas"]["MultiStepAuthenticationChallenge"];

/**
 * Codes an @x/finapi error can carry in `error.code`: finAPI Access's `ErrorCode` values (`ErrorMessage.errors[0]
 * .code`), Web Form 2.0's (`Error.code`), the OAuth `error` of a refused client or user token, and the SDK's own for
 * the Process Controller and web form flows. These are the published ones: a code finAPI adds later parses (the
 * spec's `code` is any string) and is kept in `error.code` as it came, but is not in this union, which stays closed
 * so that `isFinapiError(e, code)` narrows `e.code` to the literal (an open `string` member would widen it).
 */
export type FinapiErrorCode =
  | components["schemas"]["ErrorCode"]
  | NonNullable<webFormComponents["schemas"]["Error"]["code"]>
  | "invalid_client"
  | "invalid_token"
  /** A web form or task answer failed Web Form 2.0's validation (`ValidationError`). */
  | "VALIDATION_ERROR"
  /** The user token obtained from a process was refused: start a new process. */
  | "PROCESS_TOKEN_EXPIRED"
  /** The process token was already exchanged (or is unknown): it cannot give another user token. */
  | "PROCESS_TOKEN_USED"
  /** A web form or task did not finish within `waitFor*`'s `timeoutMs`. */
  | "WAIT_TIMEOUT";

/**
 * Whether `error` is an error of @x/finapi (any class: `ApiError`, `AuthenticationError`, `TimeoutError`, ...),
 * optionally with one code. A brand check, so it holds when an app loads both the ESM and the CommonJS build.
 *
 * @example
 * catch (e) { if (isFinapiError(e, "ENTITY_EXISTS")) return existing; throw e; }
 */
export const isFinapiError = /* @__PURE__ */ providerErrorGuard<FinapiErrorCode, typeof PROVIDER>(PROVIDER);

/**
 * The bank's challenge when finAPI answered 510 (`ADDITIONAL_AUTHENTICATION_REQUIRED`): the app shows it (a TAN
 * field labelled `answerFieldLabel`, a `redirectUrl` to open, ...) and sends the call again with the answer and the
 * challenge's `hash`. Undefined for any other error.
 *
 * @example
 * catch (e) { const challenge = multiStepAuthenticationOf(e); if (challenge) return askUser(challenge); throw e; }
 */
export function multiStepAuthenticationOf(error: unknown): MultiStepAuthentication | undefined {
  if (!isFinapiError(error) || !(error instanceof ApiError) || error.status !== 510) return undefined;
  const errors = (error.body as { errors?: Array<{ multiStepAuthentication?: MultiStepAuthentication | null }> })
    ?.errors;
  return Array.isArray(errors)
    ? (errors.find((e) => e?.multiStepAuthentication)?.multiStepAuthentication ?? undefined)
    : undefined;
}

const text = (value: unknown) => (typeof value === "string" ? value : undefined);

/**
 * `describeError` for core. finAPI answers errors in four shapes: Access's `ErrorMessage` (`{ errors: [{ code,
 * message }], requestId, endpoint, bank }`), the OAuth `BadCredentialsError` (`{ error, error_description }`) of a
 * refused client or token, and Web Form 2.0's `Error` (`{ code, description }`) and `ValidationError` (`{ errors:
 * [{ field, message }] }`). finAPI quotes rejected field values in messages; core scrubs the client's `secrets` from
 * them, and from `error.body`, wherever the error is built.
 */
export function describeFinapiError(
  body: unknown,
): { code?: string; message?: string; requestId?: string } | undefined {
  if (body === null || typeof body !== "object") return undefined;
  const record = body as Record<string, unknown>;
  const first = (Array.isArray(record.errors) ? record.errors[0] : undefined) as Record<string, unknown> | undefined;
  const field = text(first?.field);
  const code =
    text(first?.code) ??
    text(record.error) ??
    text(record.code) ??
    (field !== undefined ? "VALIDATION_ERROR" : undefined);
  const message =
    (field !== undefined ? `${field}: ${text(first?.message) ?? "invalid"}` : text(first?.message)) ??
    text(record.error_description) ??
    text(record.description);
  return { code, message: message?.slice(0, 200), requestId: text(record.requestId) };
}

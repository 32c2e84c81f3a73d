import { ConfigurationError, providerErrorGuard, type ProviderClientOptions } from "@x/core";
import type { CfonbParseError, CfonbProblem } from "@x/cfonb";

/** The provider name: in errors, events and cache keys. */
export const PROVIDER = "inqom";

/**
 * Error codes the banking API is known or modelled to use (its error bodies are not public:
 * see the spec's `x-unconfirmed`). `ApiError.code` carries them; other strings may appear.
 */
export type InqomErrorCode =
  | "InvalidToken"
  | "Forbidden"
  | "NotFound"
  | "InvalidIban"
  | "DuplicateIban"
  | "InvalidCfonbFile"
  | "UnknownAccount"
  | "InvalidRequest"
  // The authorization-code flow's own (see `inqomUserAuth`).
  | "STATE_MISMATCH"
  | "AUTHORIZATION_CODE_REJECTED"
  | "REFRESH_TOKEN_REJECTED"
  | "LOGIN_REQUIRED"
  | (string & {});

/** Reads Inqom's PascalCase `{ Code, Message }` error body (and camelCase or OAuth bodies, to be safe). */
export const describeInqomError: NonNullable<ProviderClientOptions["describeError"]> = (body) => {
  if (body === null || typeof body !== "object") return undefined;
  const record = body as Record<string, unknown>;
  const code = record.Code ?? record.code ?? record.error;
  const message = record.Message ?? record.message ?? record.error_description;
  return {
    ...(typeof code === "string" ? { code: code as InqomErrorCode } : {}),
    ...(typeof message === "string" ? { message: message.slice(0, 300) } : {}),
  };
};

/**
 * `importCfonbFile` refused the file before sending it: `problems` lists each one by line and
 * column (the cause is @x/cfonb's `CfonbParseError`). Nothing was uploaded. Core's `toJSON` gives
 * `problems` with the other fields.
 */
export class InvalidCfonbFileError extends ConfigurationError {
  readonly problems: readonly CfonbProblem[];

  constructor(cause: CfonbParseError) {
    super(`inqom: the file was not sent. ${cause.message}`, {
      option: "file",
      provider: PROVIDER,
      code: "INVALID_CFONB_FILE",
      cause,
    });
    this.problems = cause.problems;
  }
}

/**
 * Whether `error` is an error of @x/inqom (`ApiError`, `AuthenticationError`, `InvalidCfonbFileError`, ...),
 * optionally with one code: the banking API's (`InvalidIban`, ...), the identity server's OAuth error
 * (`invalid_grant`, ...), `INVALID_CFONB_FILE` or core's. A brand check, so it holds when an app loads both the ESM
 * and the CommonJS build.
 *
 * @example
 * catch (e) { if (isInqomError(e, "DuplicateIban")) return existing; throw e; }
 */
export const isInqomError = /* @__PURE__ */ providerErrorGuard<InqomErrorCode | "INVALID_CFONB_FILE", typeof PROVIDER>(
  PROVIDER,
);

import { ConfigurationError, type ProviderClientOptions } from "@x/core";
import type { CfonbParseError, CfonbProblem } from "@x/cfonb";

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
 * column (the cause is @x/cfonb's `CfonbParseError`). Nothing was uploaded.
 */
export class InvalidCfonbFileError extends ConfigurationError {
  readonly problems: readonly CfonbProblem[];

  constructor(cause: CfonbParseError) {
    super(`inqom: the file was not sent. ${cause.message}`, { option: "file", provider: "inqom", code: "INVALID_CFONB_FILE", cause });
    this.problems = cause.problems;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), problems: this.problems };
  }
}

import { XError, providerErrorGuard } from "@x/core";
import type { components } from "./generated/schema.js";

/** The provider name: in errors, events and cache keys. */
export const PROVIDER = "october";

/** The `name` of October's error body, surfaced as `ApiError.code` (e.g. `"NotFound"`). */
export type OctoberErrorCode = components["schemas"]["ErrorName"];

/**
 * Reads October's error body (`{ name, message, code }`) for core's `ApiError`. Bodies that are not
 * October's (a proxy's or the sandbox's own `{ error, message }`) still give a code when they have one.
 */
export function describeOctoberError(body: unknown): { code?: string; message?: string } | undefined {
  if (body === null || typeof body !== "object") return undefined;
  const { name, error, message } = body as Record<string, unknown>;
  const code = typeof name === "string" ? name : typeof error === "string" ? error : undefined;
  return { ...(code ? { code } : {}), ...(typeof message === "string" ? { message } : {}) };
}

/**
 * The bytes of a medium could not be sent to storage. The medium was left in draft (never set online),
 * so no X-Ray runs on a partial file; `mediumId` names that draft.
 */
export class MediumUploadError extends XError {
  declare readonly mediumId: string;
  declare readonly status: number | undefined;

  constructor(message: string, options: { mediumId: string; status?: number; cause?: unknown }) {
    super(message, { provider: PROVIDER, code: "UPLOAD_FAILED", status: undefined, ...options });
  }
}

/**
 * October finished an X-Ray without a result (`status: "failed"`); `report` is what it returned. The error's JSON
 * and `util.inspect` view name the report (`reportId`, `kind`) without its content, which can be large and personal.
 */
export class ReportFailedError extends XError {
  declare readonly report: components["schemas"]["Report"];
  declare readonly reportId: string;
  declare readonly kind: components["schemas"]["ReportKind"];

  constructor(message: string, report: components["schemas"]["Report"]) {
    const fields = { provider: PROVIDER, code: "REPORT_FAILED", reportId: report.id, kind: report.kind };
    super(message, fields);
    // Not enumerable: core's toJSON and util.inspect show the fields above, not the whole report.
    Object.defineProperty(this, "report", { value: report });
  }
}

/** An incoming webhook body is not an October event this SDK knows: `code` is `UNKNOWN_EVENT` or `MALFORMED_EVENT`. */
export class WebhookError extends XError {
  constructor(message: string, code: "UNKNOWN_EVENT" | "MALFORMED_EVENT") {
    super(message, { provider: PROVIDER, code });
  }
}

/**
 * Whether `error` is an error of @x/october (`ApiError`, `AuthenticationError`, `MediumUploadError`, ...), optionally
 * with one code: October's (`NotFound`, ...), the SDK's (`UPLOAD_FAILED`, `REPORT_FAILED`, `REPORT_TIMEOUT`,
 * `UNKNOWN_EVENT`, `MALFORMED_EVENT`) or core's. A brand check, so it holds when an app loads both the ESM and the
 * CommonJS build.
 *
 * @example
 * catch (e) { if (isOctoberError(e, "NotFound")) return undefined; throw e; }
 */
export const isOctoberError = /* @__PURE__ */ providerErrorGuard<
  OctoberErrorCode | "UPLOAD_FAILED" | "REPORT_FAILED" | "REPORT_TIMEOUT" | "UNKNOWN_EVENT" | "MALFORMED_EVENT",
  typeof PROVIDER
>(PROVIDER);

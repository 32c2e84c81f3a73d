import { XError } from "@x/core";
import type { components } from "./generated/schema.js";

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
  readonly mediumId: string;
  readonly status: number | undefined;

  constructor(message: string, options: { mediumId: string; status?: number; cause?: unknown }) {
    super(message, { provider: "october", code: "UPLOAD_FAILED", cause: options.cause });
    this.mediumId = options.mediumId;
    this.status = options.status;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), mediumId: this.mediumId, status: this.status };
  }
}

/** October finished an X-Ray without a result (`status: "failed"`); `report` is what it returned. */
export class ReportFailedError extends XError {
  readonly report: components["schemas"]["Report"];

  constructor(message: string, report: components["schemas"]["Report"]) {
    super(message, { provider: "october", code: "REPORT_FAILED" });
    this.report = report;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), reportId: this.report.id, kind: this.report.kind };
  }
}

/** An incoming webhook body is not an October event this SDK knows: `code` is `UNKNOWN_EVENT` or `MALFORMED_EVENT`. */
export class WebhookError extends XError {
  constructor(message: string, code: "UNKNOWN_EVENT" | "MALFORMED_EVENT") {
    super(message, { provider: "october", code });
  }
}

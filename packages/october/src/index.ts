export { createOctoberClient, DEFAULT_OCTOBER_VERSION } from "./client.js";
export type { OctoberClient, OctoberClientOptions } from "./client.js";
export { octoberAuth } from "./auth.js";
export type { OctoberCredentials } from "./auth.js";
export { uploadMedium, mediumFileUrl, MAX_MEDIUM_BYTES, OCTOBER_CDN_URL } from "./media.js";
export type { MediumFile, UploadMediumOptions } from "./media.js";
export { waitForReport } from "./reports.js";
export type { WaitForReportOptions } from "./reports.js";
export { parseWebhook } from "./webhooks.js";
export type {
  OctoberWebhookEvent,
  OctoberWebhookEventName,
  OctoberWebhookEventOf,
  OctoberWebhookSetting,
} from "./webhooks.js";
export { describeOctoberError, isOctoberError, MediumUploadError, ReportFailedError, WebhookError } from "./errors.js";
export type { OctoberErrorCode } from "./errors.js";
export type { components, operations, paths, webhooks } from "./generated/schema.js";
// Every schema by name (`Medium`, `Report`, ...), so users never write `components["schemas"][...]`.
export type * from "./generated/types.js";
import type { RequestSchema } from "./generated/types.js";
/**
 * A request: one company under risk assessment. The spec's `Request` schema, named so that it never hides the global
 * `Request` in a file that imports it (the generated name is `RequestSchema`).
 */
export type OctoberRequest = RequestSchema;
export { servers } from "./generated/spec.js";

import {
  ConfigurationError,
  createProviderClient,
  type ExtendableClientOptions,
  type ProviderClient,
  type SharedClientOptions,
} from "@x/core";
import { octoberAuth, type OctoberCredentials } from "./auth.js";
import { PROVIDER, describeOctoberError } from "./errors.js";
import { methods, type Methods } from "./generated/methods.js";
import type { paths } from "./generated/schema.js";
import { operations, servers } from "./generated/spec.js";
import type { Medium, Report, ReportKind } from "./generated/types.js";
import { uploadMedium, type MediumFile, type UploadMediumOptions } from "./media.js";
import { waitForReport, type WaitForReportOptions } from "./reports.js";

/**
 * The `October-Version` sent by default: the latest version October's versioning page names, the one the spec
 * models. Pin an older one (`version: "2023-06-01"`, the authentication page's example) to keep its behaviour.
 */
export const DEFAULT_OCTOBER_VERSION = "2024-01-25";

export interface OctoberClientOptions extends SharedClientOptions, OctoberCredentials {
  /**
   * `October-Version` sent on every call, a release date. Default `DEFAULT_OCTOBER_VERSION`. One call can
   * override it with `headers: { "October-Version": "..." }`.
   */
  version?: string;
}

/** What an October client adds to its generated methods; `withOptions` keeps both. */
export interface OctoberHelpers {
  /** Creates a draft medium, uploads the file to storage without October's headers, sets it online. */
  uploadMedium(requestId: string, file: MediumFile, options: UploadMediumOptions): Promise<Medium>;
  /** Polls with backoff until the newest report of `kind` is ready; `TimeoutError` after `timeoutMs`. */
  waitForReport(requestId: string, kind: ReportKind, options?: WaitForReportOptions): Promise<Report>;
}

/**
 * An October client: the generated methods by tag (`requests`, `reports`, `media`, `webhooks`), the helpers, and the
 * path-style calls (`GET`, `POST`) for anything else.
 */
export type OctoberClient = ProviderClient<paths, OctoberHelpers, Methods>;

/**
 * The client of `@x/october/mini`: the path-style calls, without the generated methods and helpers. Call the
 * operations and helpers as the functions that entry exports (`getRequest(october, { id })`,
 * `uploadMedium(october, ...)`), so a bundler keeps only those an app imports.
 */
export type OctoberMiniClient = ProviderClient<paths>;

/**
 * A typed client for October's Risk Assessment API.
 *
 * @example
 * const october = createOctoberClient({
 *   userId: process.env.OCTOBER_USER_ID!,
 *   sessionToken: process.env.OCTOBER_SESSION_TOKEN!,
 * });
 * const { request } = await october.requests.create({ code: { type: "siren", id: "514673987" } });
 * for await (const each of october.requests.list()) console.log(each.id);
 */
export function createOctoberClient(options: OctoberClientOptions): OctoberClient {
  return octoberClient<OctoberHelpers, Methods>(options, {
    operations,
    methods,
    extend: (client) => ({
      uploadMedium: (requestId, file, options) => uploadMedium(client, requestId, file, options),
      waitForReport: (requestId, kind, options) => waitForReport(client, requestId, kind, options),
    }),
  });
}

/**
 * `createOctoberClient` without the generated methods, the spec's operations table and the helpers: what
 * `@x/october/mini` exports under that name.
 *
 * @example
 * import { createOctoberClient, getRequest } from "@x/october/mini";
 * const october = createOctoberClient({ userId, sessionToken });
 * const { request } = await getRequest(october, { id: "req_1" });
 */
export function createOctoberMiniClient(options: OctoberClientOptions): OctoberMiniClient {
  return octoberClient(options, {});
}

/** An October client over `spec`: the spec's tables and the helpers, or none of them for `mini`. */
function octoberClient<Extras extends object = {}, M extends object = {}>(
  options: OctoberClientOptions,
  spec: Pick<ExtendableClientOptions<paths, Extras, M>, "operations" | "methods" | "extend">,
): ProviderClient<paths, Extras, M> {
  // Destructuring undefined would throw a bare TypeError that names nothing.
  if (options === null || typeof options !== "object") {
    throw new ConfigurationError("createOctoberClient needs an options object with userId and sessionToken.", {
      option: "options",
      provider: PROVIDER,
    });
  }
  const {
    userId,
    sessionToken,
    version = DEFAULT_OCTOBER_VERSION,
    baseUrl = servers.production,
    headers,
    ...rest
  } = options;
  // Versions are release dates; a typo would otherwise surface as a 400 on the first call.
  if (!isCalendarDate(version)) {
    throw new ConfigurationError(
      `version must be an October API version, a real YYYY-MM-DD date such as "${DEFAULT_OCTOBER_VERSION}".`,
      { option: "version", provider: PROVIDER },
    );
  }
  const auth = octoberAuth({ userId, sessionToken });
  return createProviderClient<paths, Extras, M>({
    ...rest,
    provider: PROVIDER,
    baseUrl,
    auth,
    // Scrubbed from every error: a server that echoes the request (headers included) in its error body cannot
    // leak them.
    secrets: [userId, sessionToken],
    // A client header rather than an auth header: openapi-fetch lets one call's `headers` replace it.
    headers: { ...headers, "October-Version": version },
    describeError: describeOctoberError,
    ...spec,
  });
}

/** `YYYY-MM-DD` naming a day that exists: `2023-13-45` has the shape but is no release date. */
function isCalendarDate(value: unknown): value is string {
  if (typeof value !== "string" || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value);
}

import {
  ConfigurationError,
  assertSecureUrl,
  createProviderClient,
  createTokenCache,
  requireString,
  type AuthPlugin,
  type BearerTokenAuth,
  type MethodsAt,
  type OperationTable,
  type PathsAt,
  type ProviderClient,
  type ProviderClientOptions,
  type SharedClientOptions,
} from "@x/core";
import { sfsApiKeyAuth, sfsClientAuth, sfsPlatformAuth } from "./auth.js";
import { PROVIDER, describeSfsError } from "./errors.js";
import { type SfsClientActions, type SfsPlatformActions, clientActionsOf, platformActionsOf } from "./actions.js";
import { type MethodLevels, type Methods, type PathLevels, methods } from "./generated/methods.js";
import type { paths } from "./generated/schema.js";
import { operations, servers } from "./generated/spec.js";

/** Token auth (the default): platform and client bearer tokens obtained with apiKey + secret. */
export interface SfsClientOptions extends SharedClientOptions {
  /** `"token"` (default): bearer tokens. `"apiKey"` is the other mode, see `SfsApiKeyClientOptions`. */
  auth?: "token";
  /** The platform's API key, from the SFS portal. */
  apiKey: string;
  /** The platform's secret, from the SFS portal. Never logged, never in an error. */
  secret: string;
}

/**
 * API key auth: every call carries the API key in `X-Sendforsign-Key`, no token and no secret; a `forClient` handle
 * adds its `clientKey` to each call's `data`.
 */
export interface SfsApiKeyClientOptions extends SharedClientOptions {
  auth: "apiKey";
  /** The platform's API key, from the SFS portal. Sent on every call; never logged, never in an error. */
  apiKey: string;
}

/**
 * The spec's `x-level` of each operation: `platform` (`/api/client`: the platform token, or the API key alone) or
 * `client` (templates, placeholders, contracts, recipients, files: a client token, or the API key with a clientKey).
 * Each client is typed at its level, so a call of the other level does not compile, path style or method.
 */
type Level = "platform" | "client";
/** The paths a client of level L may call. */
export type PathsOf<L extends Level> = PathsAt<paths, PathLevels, L>;
type MethodsOf<L extends Level> = MethodsAt<Methods, MethodLevels, L>;

/**
 * A typed client acting for one platform client (its client token, or the API key with its clientKey): the action
 * methods (`templates.list()`, `contracts.create(...)`, ...), the generated `contracts.uploadPdf`, and the
 * client-level paths (the downloads among them, which answer with bytes: `GET(path, { ..., parseAs })`).
 */
export type SfsHandle = ProviderClient<PathsOf<"client">, SfsClientActions, MethodsOf<"client">>;

/** What the platform client adds to a typed client; `withOptions` keeps it. */
export interface SfsPlatformHelpers extends SfsPlatformActions {
  /** The platform credential, e.g. to `authorize()` a request sent outside the client. */
  readonly platformAuth: BearerTokenAuth;
  /**
   * A client authorized by that platform client's token, sharing this client's options and token
   * cache: every handle uses the one platform token to obtain its client token. `revoke()` on the
   * handle revokes that client token only.
   */
  forClient(clientKey: string): SfsHandle;
}

/**
 * The platform client: `clients.list()`, `clients.create(...)` and the platform-level paths, authorized by the platform
 * token, plus `forClient`.
 */
export type SfsClient = ProviderClient<PathsOf<"platform">, SfsPlatformHelpers, MethodsOf<"platform">>;

/** What the API key client adds to a typed client; `withOptions` keeps it. */
export interface SfsApiKeyHelpers extends SfsPlatformActions {
  /**
   * A client whose calls act for that platform client: the same API key, with `clientKey` added to each call's
   * `data` (to the query of the file endpoints) unless the call names one itself.
   */
  forClient(clientKey: string): SfsHandle;
}

/** The API key client: platform-level calls (`/api/client`) with the key alone, plus `forClient`. */
export type SfsApiKeyClient = ProviderClient<PathsOf<"platform">, SfsApiKeyHelpers, MethodsOf<"platform">>;

/** The platform credential and `forClient` of a mini client, whose handles are mini too. */
export interface SfsMiniHelpers {
  /** The platform credential, e.g. to `authorize()` a request sent outside the client. */
  readonly platformAuth: BearerTokenAuth;
  /** A mini client authorized by that platform client's token, as `SfsPlatformHelpers.forClient`. */
  forClient(clientKey: string): SfsMiniHandle;
}

/**
 * The handle of `@x/sfs/mini`: the client-level path-style calls, without the action and generated methods. Call the
 * actions and operations as the functions that entry exports (`listTemplates(acme)`, `downloadPdf(acme, ...)`).
 */
export type SfsMiniHandle = ProviderClient<PathsOf<"client">>;

/** The platform client of `@x/sfs/mini`: `/api/client` by path or as `listClients(sfs)`, and `forClient`. */
export type SfsMiniClient = ProviderClient<PathsOf<"platform">, SfsMiniHelpers>;

/** The API key client of `@x/sfs/mini`, whose `forClient` gives a mini handle. */
export type SfsApiKeyMiniClient = ProviderClient<PathsOf<"platform">, Omit<SfsMiniHelpers, "platformAuth">>;

/**
 * What the full client has over the mini one: the spec's operations table (path-style calls name their operation and
 * retry the read-only actions), the generated methods and the action methods. The mini client has none of them, so
 * an app's bundle keeps only the action and operation functions it imports.
 */
interface Surface {
  operations?: OperationTable;
  methods?: typeof methods;
  platformActions?: typeof platformActionsOf;
  clientActions?: typeof clientActionsOf;
}

const FULL: Surface = { operations, methods, platformActions: platformActionsOf, clientActions: clientActionsOf };

/**
 * Creates the SFS client. Credentials are checked here (a missing or empty `apiKey` or `secret`
 * is a `ConfigurationError` naming it), tokens are fetched on first use. With `auth: "apiKey"`, calls
 * carry the API key itself (`X-Sendforsign-Key`) instead of tokens.
 *
 * @example
 * const sfs = createSfsClient({ apiKey, secret });
 * const clients = await sfs.clients.list();
 * const acme = sfs.forClient("CLIENT_KEY");
 * const templates = await acme.templates.list();
 *
 * const keyed = createSfsClient({ auth: "apiKey", apiKey }).forClient("CLIENT_KEY");
 */
export function createSfsClient(options: SfsClientOptions): SfsClient;
export function createSfsClient(options: SfsApiKeyClientOptions): SfsApiKeyClient;
export function createSfsClient(options: SfsClientOptions | SfsApiKeyClientOptions): SfsClient | SfsApiKeyClient {
  return sfsClient(options, FULL) as SfsClient | SfsApiKeyClient;
}

/**
 * `createSfsClient` without the spec's operations table, the generated methods and the action methods: what
 * `@x/sfs/mini` exports under that name. Path-style calls from it name no operation in events and send every POST
 * once (without the table a `list` by path is not known to be safe to repeat); the action functions carry both.
 *
 * @example
 * import { createSfsClient, listTemplates } from "@x/sfs/mini";
 * const acme = createSfsClient({ apiKey, secret }).forClient("CLIENT_KEY");
 * const templates = await listTemplates(acme);
 */
export function createSfsMiniClient(options: SfsClientOptions): SfsMiniClient;
export function createSfsMiniClient(options: SfsApiKeyClientOptions): SfsApiKeyMiniClient;
export function createSfsMiniClient(
  options: SfsClientOptions | SfsApiKeyClientOptions,
): SfsMiniClient | SfsApiKeyMiniClient {
  return sfsClient(options, {}) as SfsMiniClient | SfsApiKeyMiniClient;
}

function sfsClient(options: SfsClientOptions | SfsApiKeyClientOptions, surface: Surface) {
  const given = options ?? ({} as SfsClientOptions);
  const mode = given.auth ?? "token";
  if (mode === "apiKey") return createApiKeyClient(given as SfsApiKeyClientOptions, surface);
  if (mode === "token") return createTokenClient(given as SfsClientOptions, surface);
  const fix = '"token" (apiKey + secret, the default) or "apiKey" (X-Sendforsign-Key, no secret)';
  throw new ConfigurationError(`auth must be ${fix}.`, { provider: PROVIDER, option: "auth" });
}

function createTokenClient(options: SfsClientOptions, surface: Surface) {
  const { apiKey, secret, baseUrl, tokenCache, auth: _mode, ...rest } = options;
  requireString(apiKey, "apiKey", PROVIDER);
  requireString(secret, "secret", PROVIDER);
  const base = baseUrlOf(baseUrl);
  // One cache for the platform client and all its handles, so they share the platform token.
  const cache = tokenCache ?? createTokenCache();
  const platformAuth = sfsPlatformAuth({ baseUrl: base, apiKey, secret });

  const shared = {
    ...rest,
    ...sharedOptions(base, surface),
    tokenCache: cache,
    // A server that echoes a request in its error body (the token request carries both) cannot leak them.
    secrets: [apiKey, secret],
  };
  return createProviderClient<PathsOf<"platform">, object>({
    ...shared,
    // No generated methods: all of them are client-level (the spec's x-level); `clients` are action methods.
    auth: platformAuth,
    // `withOptions` keeps `forClient`; handles take the options given to createSfsClient.
    extend: (client) => ({
      ...surface.platformActions?.(client),
      platformAuth,
      forClient(clientKey: string) {
        requireString(clientKey, "clientKey", PROVIDER);
        const auth = sfsClientAuth({ baseUrl: base, apiKey, clientKey, platform: platformAuth });
        return handleFor(shared, auth, surface);
      },
    }),
  });
}

function createApiKeyClient(options: SfsApiKeyClientOptions, surface: Surface) {
  const { apiKey, baseUrl, auth: _mode, ...rest } = options;
  requireString(apiKey, "apiKey", PROVIDER);
  if ("secret" in options && options.secret !== undefined) {
    throw new ConfigurationError(
      'secret is not used with auth "apiKey", which sends the API key alone: drop it, or omit auth for token auth.',
      { provider: PROVIDER, option: "secret" },
    );
  }
  const shared = { ...rest, ...sharedOptions(baseUrlOf(baseUrl), surface), secrets: [apiKey] };
  return createProviderClient<PathsOf<"platform">, object>({
    ...shared,
    auth: sfsApiKeyAuth({ apiKey }),
    extend: (client) => ({
      ...surface.platformActions?.(client),
      forClient(clientKey: string) {
        requireString(clientKey, "clientKey", PROVIDER);
        return handleFor(shared, sfsApiKeyAuth({ apiKey, clientKey }), surface);
      },
    }),
  });
}

/** A client-level handle: typed calls, and the surface's methods, which `withOptions` keeps. */
function handleFor(shared: Omit<ProviderClientOptions, "auth">, auth: AuthPlugin, surface: Surface) {
  return createProviderClient<PathsOf<"client">, object>({
    ...shared,
    auth,
    methods: surface.methods,
    extend: (client) => surface.clientActions?.(client) ?? {},
  });
}

function baseUrlOf(baseUrl: string | undefined): string {
  return assertSecureUrl(baseUrl ?? servers.production, "baseUrl", PROVIDER).href.replace(/\/$/, "");
}

/** What every SFS client passes to core, whatever its auth. */
function sharedOptions(baseUrl: string, { operations }: Surface) {
  return { provider: PROVIDER, baseUrl, describeError: describeSfsError, operations, actionOf: sfsActionOf };
}

/**
 * The action of a typed call, read by core from the body before it is serialized. Every SFS call
 * but the downloads is a POST, which core never retries by default; the spec's `x-action` lists the actions that
 * only read (`list`, `read`), so a 503 on `list` is retried while a `create` is sent once. Any
 * other body (no envelope, a non-string action) has no action and is not retried.
 */
function sfsActionOf(body: unknown): string | undefined {
  const data = isObject(body) ? body.data : undefined;
  const action = isObject(data) ? data.action : undefined;
  return typeof action === "string" ? action : undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}

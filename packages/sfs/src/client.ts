import {
  assertSecureUrl,
  createProviderClient,
  createTokenCache,
  requireString,
  type BearerTokenAuth,
  type ProviderClient,
  type SharedClientOptions,
} from "@x/core";
import { sfsClientAuth, sfsPlatformAuth } from "./auth.js";
import { PROVIDER, describeSfsError } from "./errors.js";
import type { paths } from "./generated/schema.js";
import { operations, servers } from "./generated/spec.js";

export interface SfsClientOptions extends SharedClientOptions {
  /** The platform's API key, from the SFS portal. */
  apiKey: string;
  /** The platform's secret, from the SFS portal. Never logged, never in an error. */
  secret: string;
}

/** A typed SFS client authorized by one credential (the platform token, or a client token). */
export type SfsHandle = ProviderClient<paths>;

/** What the platform client adds to a typed client; `withOptions` keeps it. */
export interface SfsPlatformHelpers {
  /** The platform credential, e.g. to `authorize()` a request sent outside the client. */
  readonly platformAuth: BearerTokenAuth;
  /**
   * A client authorized by that platform client's token, sharing this client's options and token
   * cache: every handle uses the one platform token to obtain its client token. `revoke()` on the
   * handle revokes that client token only.
   */
  forClient(clientKey: string): SfsHandle;
}

/** The platform client: calls authorized by the platform token, plus `forClient`. */
export type SfsClient = ProviderClient<paths, SfsPlatformHelpers>;

/**
 * Creates the SFS client. Credentials are checked here (a missing or empty `apiKey` or `secret`
 * is a `ConfigurationError` naming it), tokens are fetched on first use.
 *
 * @example
 * const sfs = createSfsClient({ apiKey, secret });
 * const acme = sfs.forClient("CLIENT_KEY");
 * const templates = await acme.unwrap(acme.POST("/api/template", { body: { data: { action: "list" } } }));
 */
export function createSfsClient(options: SfsClientOptions): SfsClient {
  const { apiKey, secret, baseUrl, tokenCache, ...rest } = options ?? ({} as SfsClientOptions);
  requireString(apiKey, "apiKey", PROVIDER);
  requireString(secret, "secret", PROVIDER);
  const base = assertSecureUrl(baseUrl ?? servers.production, "baseUrl", PROVIDER).href.replace(/\/$/, "");
  // One cache for the platform client and all its handles, so they share the platform token.
  const cache = tokenCache ?? createTokenCache();
  const platformAuth = sfsPlatformAuth({ baseUrl: base, apiKey, secret });

  const shared = {
    ...rest,
    provider: PROVIDER,
    baseUrl: base,
    tokenCache: cache,
    describeError: describeSfsError,
    operations,
    actionOf: sfsActionOf,
    // A server that echoes a request in its error body (the token request carries both) cannot leak them.
    secrets: [apiKey, secret],
  };
  return createProviderClient<paths, SfsPlatformHelpers>({
    ...shared,
    auth: platformAuth,
    // `withOptions` keeps `forClient`; handles take the options given to createSfsClient.
    extend: () => ({
      platformAuth,
      forClient(clientKey: string): SfsHandle {
        requireString(clientKey, "clientKey", PROVIDER);
        const auth = sfsClientAuth({ baseUrl: base, apiKey, clientKey, platform: platformAuth });
        return createProviderClient<paths>({ ...shared, auth });
      },
    }),
  });
}

/**
 * The action of a typed call, read by core from the body before it is serialized. Every SFS call
 * is a POST, which core never retries by default; the spec's `x-action` lists the actions that
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

import { AuthenticationError } from "../errors.js";
import type { ClientRuntime } from "../plugin.js";
import { describeUrl } from "../redact.js";
import { assertSecureUrl, optionError, requireKind, requireString } from "../security.js";
import type { CachedToken, TokenGrant } from "../token-cache.js";
import { bearerTokenAuth, type BearerTokenAuth, type BearerTokenAuthOptions } from "./bearer-token.js";
import { readTokenResponse } from "./token-response.js";

export type OAuth2Grant = { type: "client_credentials" } | { type: "password"; username: string; password: string };

export interface OAuth2AuthOptions
  extends Pick<BearerTokenAuthOptions, "isTokenRejected" | "tokenHeaders" | "rejectedMessage"> {
  /** Full URL of the token endpoint. */
  tokenUrl: string;
  clientId: string;
  clientSecret?: string;
  grant: OAuth2Grant;
  /** Credential kind for the cache key and events. Default: the grant type. */
  kind?: string;
  /** Extra identity for the cache key (the grant's username and the client id are already in). */
  identity?: readonly string[];
  scope?: string;
  /** Further fields of the token request body. */
  extraParams?: Record<string, string>;
  /** Client credentials in the body (default, as most providers document) or an HTTP Basic header. */
  clientAuthentication?: "body" | "basic";
  /** `application/x-www-form-urlencoded` (RFC 6749, default) or JSON. */
  bodyEncoding?: "form" | "json";
  /**
   * Renew with the `refresh_token` grant when the provider issued a refresh token; if the
   * provider refuses it, fall back to the original grant. Default true.
   */
  useRefreshToken?: boolean;
  /** RFC 7009 style revocation, used by `revoke()`. */
  revoke?: (runtime: ClientRuntime, token: CachedToken) => Promise<void>;
}

/**
 * OAuth2 token auth (RFC 6749 client credentials, resource owner password, refresh token)
 * on the shared cache. Token responses are validated strictly: a non-JSON body, a missing
 * `access_token` or an absurd `expires_in` is an `AuthenticationError` that says what was
 * wrong, and no secret ever reaches a message.
 */
export function oauth2Auth(options: OAuth2AuthOptions): BearerTokenAuth {
  const { grant, clientId, clientSecret } = requireKind(options, "object", "oauth2Auth options");
  assertSecureUrl(options.tokenUrl, "tokenUrl");
  requireString(clientId, "clientId");
  if (clientSecret !== undefined) requireString(clientSecret, "clientSecret");
  if (grant?.type !== "client_credentials" && grant?.type !== "password")
    throw optionError("grant", 'must be { type: "client_credentials" } or { type: "password", username, password }.');
  const password = grant.type === "password" ? grant : undefined;
  if (password && (!password.username || !password.password))
    throw optionError("grant", "needs username and password for the password grant.");
  const json = options.bodyEncoding === "json";
  const secrets = [clientSecret, password?.password].filter((s): s is string => !!s);

  async function requestToken(
    runtime: ClientRuntime,
    fields: { grant_type: string } & Record<string, string>,
  ): Promise<TokenGrant> {
    const headers = new Headers({
      accept: "application/json",
      "content-type": json ? "application/json" : "application/x-www-form-urlencoded",
    });
    const body: Record<string, string> = { ...fields, ...options.extraParams };
    if (options.scope) body.scope = options.scope;
    if (options.clientAuthentication === "basic") {
      headers.set(
        "authorization",
        `Basic ${btoa(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret ?? "")}`)}`,
      );
    } else {
      body.client_id = clientId;
      if (clientSecret !== undefined) body.client_secret = clientSecret;
    }
    const encoded = json ? JSON.stringify(body) : new URLSearchParams(body).toString();
    const response = await runtime.plainFetch(options.tokenUrl, { method: "POST", headers, body: encoded });
    return readTokenResponse(response, {
      provider: runtime.provider,
      what: `${fields.grant_type} grant at ${describeUrl(options.tokenUrl)}`,
      secrets,
    });
  }

  return bearerTokenAuth({
    ...options, // isTokenRejected, tokenHeaders, rejectedMessage
    kind: options.kind ?? grant.type,
    identity: [options.tokenUrl, clientId, ...(password ? [password.username] : []), ...(options.identity ?? [])],
    revokeToken: options.revoke,
    async fetchToken(runtime, previous) {
      if (options.useRefreshToken !== false && previous?.refreshToken) {
        try {
          return await requestToken(runtime, { grant_type: "refresh_token", refresh_token: previous.refreshToken });
        } catch (error) {
          // An expired or rotated refresh token is routine: start over with the original grant.
          if (!(error instanceof AuthenticationError)) throw error;
          runtime.logger.info("refresh token refused", { provider: runtime.provider, code: error.code });
        }
      }
      return requestToken(
        runtime,
        password
          ? { grant_type: "password", username: password.username, password: password.password }
          : { grant_type: "client_credentials" },
      );
    },
  });
}

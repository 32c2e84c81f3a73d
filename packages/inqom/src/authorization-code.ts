import {
  AuthenticationError,
  ConfigurationError,
  assertSecureUrl,
  bearerTokenAuth,
  describeUrl,
  readTokenResponse,
  requireString,
  type BearerTokenAuth,
  type ClientRuntime,
  type TokenGrant,
  type TokenRequestInfo,
} from "@x/core";
import { isTokenRejected } from "./auth.js";
import { PROVIDER } from "./errors.js";
import type { Environment } from "./generated/spec.js";
import { checkEnvironment, identityServers } from "./identity.js";

/**
 * The scopes of the authorization-code flow in Inqom's help centre: the user's identity and e-mail, a refresh token
 * (`offline_access`), and the accounting and documents APIs. The default of `inqomAuthorizeUrl` and user clients.
 */
export const INQOM_USER_SCOPE = "openid email offline_access apidata accountingdocumentsapi";

/** The credential kind of a user's tokens: in the cache key and in events. */
const KIND = "authorization_code";

export interface InqomAuthorizeUrlOptions {
  /** Id of your Inqom API client. */
  clientId: string;
  /** Where Inqom sends the user back with `code` and `state`: a URL registered with Inqom for the client. */
  redirectUri: string;
  /** Default `INQOM_USER_SCOPE`. Without `offline_access` there is no refresh token, and no session past the token. */
  scope?: string;
  /** `production` (default) or `staging`. */
  environment?: Environment;
  /** Full URL of the authorize endpoint, e.g. the sandbox's `${url}/identity/connect/authorize`. */
  authorizeUrl?: string;
  /** Your own value; default 32 random bytes, base64url. */
  state?: string;
  /**
   * Adds a PKCE challenge (RFC 7636, S256) and returns its `codeVerifier`. Inqom's help centre does not mention PKCE;
   * its IdentityServer-style endpoints usually accept it, which is unconfirmed: turn it on once Inqom says so.
   */
  pkce?: boolean;
}

/** Where to send the user, and what to keep (in the user's session) until they come back. */
export interface InqomAuthorization {
  url: string;
  /** Compare it with the `state` the user brings back (`exchangeCode` does). */
  state: string;
  /** With `pkce`: give it to `exchangeCode`. A secret: keep it server-side. */
  codeVerifier?: string;
}

/**
 * The URL of Inqom's authorize endpoint that starts the authorization-code flow for one user, with a fresh `state`
 * (and a PKCE pair when asked). Send the user's browser there; Inqom brings them back to `redirectUri` with `code`
 * and `state`, which `exchangeCode` of a user client turns into tokens.
 *
 * @example
 * const { url, state, codeVerifier } = await inqomAuthorizeUrl({ clientId, redirectUri });
 * session.inqom = { state, codeVerifier };
 * res.redirect(url);
 */
export async function inqomAuthorizeUrl(options: InqomAuthorizeUrlOptions): Promise<InqomAuthorization> {
  if (options === null || typeof options !== "object")
    throw new ConfigurationError("inqomAuthorizeUrl takes { clientId, redirectUri, ... }.", {
      option: "options",
      provider: PROVIDER,
    });
  const { clientId, redirectUri, environment = "production", pkce } = options;
  requireString(clientId, "clientId", PROVIDER);
  // Checked, but sent as given: the token request repeats it, and the identity server compares the two strings.
  assertSecureUrl(redirectUri, "redirectUri", PROVIDER);
  checkEnvironment(environment);
  const endpoint = options.authorizeUrl ?? identityServers[environment].replace(/token$/, "authorize");
  const url = assertSecureUrl(endpoint, "authorizeUrl", PROVIDER);
  const state = options.state === undefined ? randomToken() : requireString(options.state, "state", PROVIDER);
  const codeVerifier = pkce ? randomToken() : undefined;
  const query: Record<string, string> = {
    response_type: "code",
    client_id: clientId,
    redirect_uri: redirectUri,
    scope: options.scope === undefined ? INQOM_USER_SCOPE : requireString(options.scope, "scope", PROVIDER),
    state,
  };
  if (codeVerifier) {
    query.code_challenge = base64url(new Uint8Array(await crypto.subtle.digest("SHA-256", ascii(codeVerifier))));
    query.code_challenge_method = "S256";
  }
  for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value);
  return { url: url.href, state, ...(codeVerifier ? { codeVerifier } : {}) };
}

export interface InqomUserAuthOptions {
  /** Full URL of the identity server's token endpoint. */
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  /**
   * Your app's stable id for this Inqom user (your own user id, not a secret). It keys the user's tokens in the
   * cache, hashed with the token URL and client id; the tokens themselves never are.
   */
  user: string;
  /** The `redirectUri` of the authorize request; the token endpoint checks that both match. */
  redirectUri: string;
}

/** What the user brought back to `redirectUri`, and what the app kept from `inqomAuthorizeUrl`. */
export interface ExchangeCodeInput {
  /** The `code` query parameter. */
  code: string;
  /** The `state` query parameter. */
  state: string;
  /** The `state` returned by `inqomAuthorizeUrl` (kept in the user's session): they must be equal. */
  expectedState: string;
  /** The `codeVerifier` returned by `inqomAuthorizeUrl` with `pkce`. */
  codeVerifier?: string;
}

/** A user's credential: their tokens from the authorization-code flow, renewed with the refresh token. */
export interface InqomUserAuth extends BearerTokenAuth {
  /**
   * Checks `state`, exchanges the code for the user's tokens and stores them in the token cache, replacing any
   * earlier ones of this user. Refused codes are an `AuthenticationError` `AUTHORIZATION_CODE_REJECTED`, a wrong
   * state `STATE_MISMATCH` (nothing is sent then).
   */
  exchangeCode(runtime: ClientRuntime, input: ExchangeCodeInput): Promise<void>;
}

/**
 * The authorization-code credential of one Inqom user, on core's shared token cache: `exchangeCode` stores the tokens
 * the code gives, and an expiring or refused access token is renewed with the `refresh_token` grant (the refresh
 * token comes with the `offline_access` scope). A refused refresh token is an `AuthenticationError`
 * `REFRESH_TOKEN_REJECTED`, and no cached session one `LOGIN_REQUIRED`: the user must log in again.
 */
export function inqomUserAuth(options: InqomUserAuthOptions): InqomUserAuth {
  const { tokenUrl, clientId, clientSecret, redirectUri } = options;

  async function requestToken(runtime: ClientRuntime, fields: Record<string, string>): Promise<TokenGrant> {
    const response = await runtime.plainFetch(tokenUrl, {
      method: "POST",
      headers: { accept: "application/json", "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ ...fields, client_id: clientId, client_secret: clientSecret }).toString(),
    });
    return readTokenResponse(response, {
      provider: runtime.provider,
      what: `${fields.grant_type} grant at ${describeUrl(tokenUrl)}`,
      // The code, verifier and refresh token are as secret as the client's.
      secrets: [clientSecret, ...Object.values(fields)],
    });
  }

  /** An identity server's refusal (4xx) becomes `code`, with what to do; a 5xx or a network failure stays as is. */
  const refusal = (error: unknown, code: string, message: string) =>
    error instanceof AuthenticationError && (error.status ?? 0) < 500
      ? new AuthenticationError(
          `${PROVIDER} ${message} (${error.code}); send the user through the login (authorize URL) again.`,
          {
            provider: PROVIDER,
            code,
            status: error.status,
            cause: error,
          },
        )
      : error;

  const auth = bearerTokenAuth({
    kind: KIND,
    identity: [tokenUrl, clientId, options.user],
    isTokenRejected,
    rejectedMessage: "inqom refused a freshly renewed access token of this user; they may lack rights on this dossier.",
    async fetchToken(runtime, previous) {
      if (!previous?.refreshToken) {
        throw new AuthenticationError(
          `${PROVIDER} has no session for this user (no refresh token cached); send them through ` +
            "inqomAuthorizeUrl() and exchangeCode() first, with the offline_access scope.",
          { provider: PROVIDER, code: "LOGIN_REQUIRED" },
        );
      }
      try {
        const grant = await requestToken(runtime, {
          grant_type: "refresh_token",
          refresh_token: previous.refreshToken,
        });
        // A server that keeps the refresh token (no rotation) may leave it out of the answer.
        return { ...grant, refreshToken: grant.refreshToken ?? previous.refreshToken };
      } catch (error) {
        throw refusal(error, "REFRESH_TOKEN_REJECTED", "refused this user's refresh token");
      }
    },
  });

  return {
    ...auth,
    async exchangeCode(runtime, input) {
      if (input === null || typeof input !== "object")
        throw new ConfigurationError("exchangeCode takes { code, state, expectedState, codeVerifier? }.", {
          option: "input",
          provider: PROVIDER,
        });
      const code = requireString(input.code, "code", PROVIDER);
      requireString(input.state, "state", PROVIDER);
      requireString(input.expectedState, "expectedState", PROVIDER);
      if (input.state !== input.expectedState) {
        throw new AuthenticationError(
          `${PROVIDER} login: the state brought back does not match the one sent; the request may be forged or ` +
            "belong to another login. Nothing was sent: start the login again.",
          { provider: PROVIDER, code: "STATE_MISMATCH" },
        );
      }
      const fields: Record<string, string> = { grant_type: "authorization_code", code, redirect_uri: redirectUri };
      if (input.codeVerifier !== undefined)
        fields.code_verifier = requireString(input.codeVerifier, "codeVerifier", PROVIDER);
      const key = await auth.cacheKey(runtime);
      const info: TokenRequestInfo = { provider: PROVIDER, kind: KIND, emit: runtime.emit, logger: runtime.logger };
      // A new login replaces the user's earlier session, whatever state it was in.
      await runtime.tokenCache.invalidate(key, info);
      await runtime.tokenCache.get(
        key,
        async () => {
          try {
            return await requestToken(runtime, fields);
          } catch (error) {
            throw refusal(
              error,
              "AUTHORIZATION_CODE_REJECTED",
              "refused the authorization code: used, expired, or not for this client and redirect URI",
            );
          }
        },
        info,
      );
    },
  };
}

const randomToken = () => base64url(crypto.getRandomValues(new Uint8Array(32)));
const ascii = (text: string) => new TextEncoder().encode(text);

function base64url(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

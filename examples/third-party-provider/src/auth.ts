import {
  AuthenticationError,
  discardBody,
  oauth2Auth,
  readErrorBody,
  redactBody,
  responseErrorOptions,
  type BearerTokenAuth,
  type CachedToken,
  type ClientRuntime,
} from "@x/core";

export interface LedgerlyAuthOptions {
  clientId: string;
  clientSecret: string;
  /** Full URL of Ledgerly's token endpoint. */
  tokenUrl: string;
  /** Space-separated scopes asked for; part of the cache key, since tokens of other scopes are not interchangeable. */
  scope: string;
}

/**
 * Ledgerly's credential: OAuth2 client credentials on @x/core's shared token cache. Everything hard (single flight,
 * refresh ahead, one replay after a 401, strict token-response checks, secret redaction) comes from `oauth2Auth`;
 * this file only says what is Ledgerly's own: the scope and the RFC 7009 revoke endpoint next to the token endpoint.
 */
export function ledgerlyAuth(options: LedgerlyAuthOptions): BearerTokenAuth {
  const revokeUrl = new URL("revoke", options.tokenUrl).href;
  return oauth2Auth({
    tokenUrl: options.tokenUrl,
    clientId: options.clientId,
    clientSecret: options.clientSecret,
    grant: { type: "client_credentials" },
    kind: "client_token",
    scope: options.scope,
    identity: [options.scope],
    async revoke(runtime: ClientRuntime, token: CachedToken) {
      const body = new URLSearchParams({
        token: token.accessToken,
        token_type_hint: "access_token",
        client_id: options.clientId,
        client_secret: options.clientSecret,
      });
      // URLSearchParams is sent as a form (fetch sets its content-type), and can be re-sent as is on a retry.
      const response = await runtime.plainFetch(revokeUrl, { method: "POST", body });
      // RFC 7009 answers 200 even for unknown tokens, so anything else means the revocation did not happen.
      if (response.ok) return void (await discardBody(response));
      // The answer explains the failure: read it within bounds, and never hand out what this request sent.
      const answer = redactBody(await readErrorBody(response), [options.clientSecret, token.accessToken]);
      const refused = `${runtime.provider} refused to revoke the access token (${response.status})`;
      const message = `${refused}; it stays valid until it expires.`;
      const where = responseErrorOptions(runtime.provider, response, "REVOKE_FAILED");
      throw new AuthenticationError(message, { ...where, body: answer });
    },
  });
}

import {
  apiErrorFor,
  bearerTokenAuth,
  createProviderClient,
  discardBody,
  readErrorBody,
  readTokenResponse,
  tokenCacheKey,
} from "@x/core";
import type { paths } from "./generated/schema.js";

/**
 * A token endpoint that is not RFC 6749: JSON in, token fields wrapped in `data` out. `bearerTokenAuth` gives it
 * everything `oauth2Auth` has (shared cache, single flight, refresh ahead, one replay after a 401); you write only
 * how one token is obtained, and how one is revoked.
 */
export function wrappedTokenAuth(options: { tokenUrl: string; apiKey: string; secret: string }) {
  return bearerTokenAuth({
    kind: "platform_token",
    identity: [options.tokenUrl, options.apiKey], // non-secret values only; hashed into the cache key
    async fetchToken(runtime) {
      // plainFetch: timeout and retry but no auth, so a token request never recurses into this plugin.
      const response = await runtime.plainFetch(options.tokenUrl, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ data: { action: "create", apiKey: options.apiKey, secret: options.secret } }),
      });
      return readTokenResponse(response, {
        provider: runtime.provider,
        what: "platform token request",
        secrets: [options.secret], // scrubbed from any message, even if the provider quotes it back
        select: (body) => body.data,
      });
    },
    // What `client.revoke()` calls before the token leaves the cache.
    async revokeToken(runtime, token) {
      const response = await runtime.plainFetch(`${options.tokenUrl}/revoke`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ data: { token: token.accessToken } }),
      });
      // A body nobody reads still holds the connection: discard it.
      if (response.ok) return void (await discardBody(response));
      // An error body explains the failure: read it bounded in size and time, never trusting it to end.
      const body = await readErrorBody(response);
      throw apiErrorFor(runtime.provider, response, body, undefined, [options.secret, token.accessToken]);
    },
  });
}

export async function example(baseUrl: string): Promise<{ key: string; status: number }> {
  const auth = wrappedTokenAuth({ tokenUrl: `${baseUrl}/token`, apiKey: "acme-key", secret: "acme-secret" });
  const client = createProviderClient<paths>({ provider: "acme", baseUrl, auth });
  const { response } = await client.GET("/accounts");
  // The key the token is cached under: provider, kind and a hash of the identity, never a secret.
  const key = await tokenCacheKey("acme", "platform_token", [`${baseUrl}/token`, "acme-key"]);
  await client.revoke();
  return { key, status: response.status };
}

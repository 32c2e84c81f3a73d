import { discardBody, redactErrorResponse } from "../body.js";
import { AuthenticationError, responseErrorOptions } from "../errors.js";
import type { AuthPlugin, ClientRuntime, RequestContext } from "../plugin.js";
import { withHeaders } from "../request.js";
import { tokenCacheKey, type CachedToken, type TokenGrant, type TokenRequestInfo } from "../token-cache.js";
import { requireKind, requireString } from "../security.js";
import { rejectionOf, type RejectionCheck } from "./rejection.js";

export interface BearerTokenAuthOptions {
  /** Credential kind: part of the cache key and of events, e.g. "platform_token". */
  kind: string;
  /**
   * Non-secret values that tell this credential apart from others of the same kind (client
   * id, user name, token URL). Hashed into the cache key; never put a secret here, it is
   * not needed: two clients with the same identity share one token.
   */
  identity: readonly string[];
  /** Obtains a token; `previous` is the expiring one, for refresh grants. Use `runtime.plainFetch`. */
  fetchToken(runtime: ClientRuntime, previous: CachedToken | undefined): Promise<TokenGrant>;
  /** Revokes a token at the provider; called by `revoke()` before the cache entry is dropped. */
  revokeToken?(runtime: ClientRuntime, token: CachedToken): Promise<void>;
  /**
   * Whether a response says the token itself was refused (expired, revoked), as opposed to
   * missing rights. Default: status 401. Gets a copy of the response, so it may read the body,
   * best through `body()` (bounded in size and time, parsed when JSON).
   */
  isTokenRejected?: RejectionCheck;
  /** The headers that carry the token. Default `{ authorization: "Bearer <token>" }`. */
  tokenHeaders?(accessToken: string): Record<string, string>;
  /** The message of the `AuthenticationError` when a freshly fetched token is refused too. */
  rejectedMessage?: string;
}

export interface BearerTokenAuth extends AuthPlugin {
  /** The cache key of this credential (hashed identity). */
  cacheKey(runtime: ClientRuntime): Promise<string>;
  /** The current token, fetched or renewed if needed. */
  getToken(runtime: ClientRuntime, rejected?: CachedToken): Promise<CachedToken>;
  /**
   * Drops the cached token. With `rejectedAccessToken`, only if the cache still holds that
   * token (compare and delete): a token refused by an endpoint outside the pipeline is
   * replaced, and a newer one another request stored meanwhile is kept.
   *
   * @example
   * const token = await auth.getToken(runtime);
   * let response = await send(token.accessToken);
   * if (response.status === 401) {
   *   await discardBody(response);
   *   await auth.invalidate(runtime, token.accessToken);
   *   response = await send((await auth.getToken(runtime)).accessToken);
   * }
   */
  invalidate(runtime: ClientRuntime, rejectedAccessToken?: string): Promise<void>;
  revoke(runtime: ClientRuntime): Promise<void>;
}

/**
 * The building block for every token-based credential: tokens come from the shared cache
 * (single flight, refresh ahead), and a request whose token is refused invalidates that
 * token only, gets a new one and is sent once more; a second refusal is an
 * `AuthenticationError`, so a call sends at most twice for auth.
 */
export function bearerTokenAuth(options: BearerTokenAuthOptions): BearerTokenAuth {
  requireKind(options, "object", "bearerTokenAuth options");
  requireString(options.kind, "kind");
  requireKind(options.fetchToken, "function", "fetchToken");
  requireKind(options.identity, "array of strings", "identity"); // hashed into the cache key, never a secret
  const tokenHeaders = options.tokenHeaders ?? ((token: string) => ({ authorization: `Bearer ${token}` }));
  // The key is hashed once; after that the hit path reads it without awaiting.
  let key: Promise<string> | undefined;
  let keyValue: string | undefined;
  const cacheKey = async (runtime: ClientRuntime) =>
    (keyValue ??= await (key ??= tokenCacheKey(runtime.provider, options.kind, options.identity)));
  // One info object per client rather than per call: a plugin usually serves one client (and its withOptions copies).
  let lastInfo: TokenRequestInfo | undefined;
  const info = (runtime: ClientRuntime): TokenRequestInfo =>
    lastInfo?.emit === runtime.emit && lastInfo.logger === runtime.logger && lastInfo.provider === runtime.provider
      ? lastInfo
      : (lastInfo = { provider: runtime.provider, kind: options.kind, emit: runtime.emit, logger: runtime.logger });
  // `rejected` stands in for the cache entry that invalidation removed, so a refresh token
  // it carried is still used for the renewal instead of starting over with the first grant.
  // A call's runtime is its context: the wait ends with the call's signal (its abort or deadline),
  // and the fetch itself runs with the signal of everyone waiting for it.
  const getToken = async (runtime: ClientRuntime, rejected?: CachedToken) =>
    runtime.tokenCache.get(
      await cacheKey(runtime),
      (previous, signal) => options.fetchToken(withSignal(runtime, signal), previous ?? rejected),
      info(runtime),
      (runtime as Partial<RequestContext>).signal,
    );

  return {
    name: `${options.kind}-auth`,
    kind: options.kind,
    cacheKey,
    getToken,
    async authorize(runtime) {
      return tokenHeaders((await getToken(runtime)).accessToken);
    },
    async middleware(request, next, ctx) {
      // A cache hit builds no fetcher; a miss goes through `getToken` (single flight, refresh).
      const fresh = await ctx.tokenCache.fresh(keyValue ?? (await cacheKey(ctx)), info(ctx));
      // At most two sends: a refused token is replaced once, a refused replacement is final.
      for (let token = fresh ?? (await getToken(ctx)), replay = false; ; replay = true) {
        const { response, rejected } = await rejectionOf(
          await next(withHeaders(request, tokenHeaders(token.accessToken))),
          options.isTokenRejected,
          ctx.signal,
        );
        // An error answer may echo the token fetched for this call, which no `secrets` option could name.
        if (!rejected) return redactErrorResponse(response, [token.accessToken], ctx.signal);
        discardBody(response);
        if (replay) {
          throw new AuthenticationError(
            options.rejectedMessage ??
              `${ctx.provider} refused a new ${options.kind} (${response.status}); ` +
                `check the credentials' rights for this call.`,
            responseErrorOptions(ctx.provider, response, "TOKEN_REJECTED"),
          );
        }
        await ctx.tokenCache.invalidate(await cacheKey(ctx), info(ctx), token.accessToken);
        token = await getToken(ctx, token);
      }
    },
    async invalidate(runtime, rejectedAccessToken) {
      await runtime.tokenCache.invalidate(await cacheKey(runtime), info(runtime), rejectedAccessToken);
    },
    async revoke(runtime) {
      const k = await cacheKey(runtime);
      const token = await runtime.tokenCache.peek(k, info(runtime));
      if (token && options.revokeToken) await options.revokeToken(runtime, token);
      await runtime.tokenCache.invalidate(k, info(runtime), token?.accessToken, "revoked");
      runtime.emit({ type: "token.revoked", provider: runtime.provider, kind: options.kind });
    },
  };
}

/**
 * The runtime a token fetch gets: its `plainFetch` sends with `signal` (unless the fetcher passes
 * its own), and a token it needs in turn (a platform token for a client token) is awaited under
 * the same signal, so a chain of fetches stays within the deadline of the calls waiting for it.
 */
function withSignal(runtime: ClientRuntime, signal: AbortSignal): ClientRuntime {
  return {
    ...runtime,
    signal,
    plainFetch: (url, init) => runtime.plainFetch(url, { ...init, signal: init?.signal ?? signal }),
  } as ClientRuntime;
}

import {
  AuthenticationError,
  apiErrorFor,
  defineAuthPlugin,
  discardBody,
  oauth2Auth,
  withHeaders,
  type AuthPlugin,
  type BearerTokenAuth,
  type ClientRuntime,
} from "@x/core";
import { finapiErrorDescriber } from "./errors.js";

/** Where finAPI Access lives and which client is asking. */
export interface FinapiClientCredentials {
  accessUrl: string;
  clientId: string;
  clientSecret: string;
}

const tokenUrl = (accessUrl: string) => `${accessUrl}/api/v2/oauth/token`;

/**
 * The client token (`client_credentials`): client-level calls such as creating users, and the
 * bearer of every revocation. One per client id in the shared cache.
 */
export function finapiClientAuth(credentials: FinapiClientCredentials): BearerTokenAuth {
  return oauth2Auth({
    tokenUrl: tokenUrl(credentials.accessUrl),
    clientId: credentials.clientId,
    clientSecret: credentials.clientSecret,
    grant: { type: "client_credentials" },
    kind: "client_token",
    // A client token revokes itself: it is the only credential finAPI accepts on /oauth/revoke.
    revoke: (runtime, token) => revokeTokens(runtime, credentials.accessUrl, token.accessToken, [{ token: token.accessToken, hint: "access_token" }]),
  });
}

/**
 * A user token: the password grant first, then the `refresh_token` grant when it nears expiry
 * (core's oauth2Auth), back to the password grant when finAPI refuses the refresh token. The
 * cache key holds client id and user id, never the password.
 */
export function finapiUserAuth(credentials: FinapiClientCredentials, clientAuth: BearerTokenAuth, user: { userId: string; password: string }): BearerTokenAuth {
  return oauth2Auth({
    tokenUrl: tokenUrl(credentials.accessUrl),
    clientId: credentials.clientId,
    clientSecret: credentials.clientSecret,
    grant: { type: "password", username: user.userId, password: user.password },
    kind: "user_token",
    async revoke(runtime, token) {
      const { accessToken: clientToken } = await clientAuth.getToken(runtime);
      // The refresh token first: revoking only the access token would let the refresh token mint a new one.
      const tokens = [...(token.refreshToken ? [{ token: token.refreshToken, hint: "refresh_token" as const }] : []), { token: token.accessToken, hint: "access_token" as const }];
      await revokeTokens(runtime, credentials.accessUrl, clientToken, tokens);
    },
  });
}

/**
 * Holds the user token a process token was exchanged for. finAPI issues it without a refresh
 * token and the process token cannot be exchanged again, so this credential cannot renew
 * itself: a refused token is reported as `PROCESS_TOKEN_EXPIRED` at once, and the caller
 * decides whether to start a new process (a silent re-run would create another user).
 */
export function processTokenAuth(accessToken: string, revoke: (runtime: ClientRuntime, accessToken: string) => Promise<void>): AuthPlugin {
  const header = `Bearer ${accessToken}`;
  return defineAuthPlugin({
    name: "finapi-process-token-auth",
    kind: "process_user_token",
    async authorize() {
      return { authorization: header };
    },
    async middleware(request, next, ctx) {
      const response = await next(withHeaders(request, { authorization: header }));
      if (response.status !== 401) return response;
      await discardBody(response);
      throw new AuthenticationError(
        "finapi refused the user token of this process (401): it expired or was revoked, and a process token gives only one user token. Start a new process with startProcess().",
        { provider: ctx.provider, status: 401, code: "PROCESS_TOKEN_EXPIRED", requestId: response.headers.get("x-request-id") ?? undefined },
      );
    },
    async revoke(runtime) {
      await revoke(runtime, accessToken);
    },
  });
}

/**
 * Revokes tokens at finAPI Access (`POST /oauth/revoke`, documented for v1; the v2 path is
 * unconfirmed) with a client token as bearer. finAPI answers 200 even for unknown tokens, so
 * any other status is a real failure.
 */
export async function revokeTokens(
  runtime: ClientRuntime,
  accessUrl: string,
  clientToken: string,
  tokens: ReadonlyArray<{ token: string; hint: "access_token" | "refresh_token" }>,
): Promise<void> {
  for (const { token, hint } of tokens) {
    const url = `${accessUrl}/oauth/revoke?${new URLSearchParams({ token, token_type_hint: hint })}`;
    const response = await runtime.plainFetch(url, {
      method: "POST",
      headers: { authorization: `Bearer ${clientToken}`, "x-request-id": crypto.randomUUID(), accept: "application/json" },
    });
    if (response.ok) {
      await discardBody(response);
      continue;
    }
    const text = await response.text().catch(() => "");
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = undefined;
    }
    const error = apiErrorFor(runtime.provider, response, body, finapiErrorDescriber([token, clientToken]));
    if (response.status === 401) {
      throw new AuthenticationError(`finapi refused the client token used to revoke a ${hint} (401); check the client credentials.`, {
        provider: runtime.provider,
        status: 401,
        code: error.code ?? "INVALID_TOKEN",
        requestId: error.requestId,
        body: error.body,
      });
    }
    throw error;
  }
}

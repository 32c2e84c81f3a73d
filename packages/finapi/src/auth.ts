import {
  AuthenticationError,
  apiErrorFor,
  bearerTokenAuth,
  discardBody,
  oauth2Auth,
  readErrorBody,
  readTokenResponse,
  responseErrorOptions,
  staticHeadersAuth,
  type AuthPlugin,
  type BearerTokenAuth,
  type ClientRuntime,
  type TokenGrant,
} from "@x/core";
import { describeFinapiError } from "./errors.js";

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
    // A client token revokes itself: it is the only credential finAPI accepts on /api/v2/oauth/revoke.
    revoke: (runtime, { accessToken }) =>
      revokeTokens(runtime, credentials.accessUrl, accessToken, [{ token: accessToken, hint: "access_token" }]),
  });
}

/**
 * A user token: the password grant first, then the `refresh_token` grant when it nears expiry, back to the password
 * grant when finAPI refuses the refresh token. finAPI issues a refresh token only with the password grant and keeps
 * it valid across refreshes (the refresh answer has none), so the one from the password grant is carried on; core's
 * oauth2Auth would drop it and fall back to the password at the second renewal. The cache key holds client id and
 * user id, never the password.
 */
export function finapiUserAuth(
  credentials: FinapiClientCredentials,
  clientAuth: BearerTokenAuth,
  user: { userId: string; password: string },
): BearerTokenAuth {
  const { accessUrl, clientId, clientSecret } = credentials;
  const secrets = [clientSecret, user.password];
  const requestToken = async (runtime: ClientRuntime, fields: Record<string, string>): Promise<TokenGrant> => {
    const response = await runtime.plainFetch(tokenUrl(accessUrl), {
      method: "POST",
      headers: { accept: "application/json", "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ ...fields, client_id: clientId, client_secret: clientSecret }).toString(),
    });
    const what = `${fields.grant_type} grant at ${tokenUrl(accessUrl)}`;
    return readTokenResponse(response, { provider: runtime.provider, what, secrets });
  };
  return bearerTokenAuth({
    kind: "user_token",
    identity: [tokenUrl(accessUrl), clientId, user.userId],
    async fetchToken(runtime, previous) {
      const refreshToken = previous?.refreshToken;
      if (refreshToken) {
        try {
          const grant = await requestToken(runtime, { grant_type: "refresh_token", refresh_token: refreshToken });
          return { ...grant, refreshToken: grant.refreshToken ?? refreshToken };
        } catch (error) {
          // An expired or revoked refresh token is routine: start over with the password.
          if (!(error instanceof AuthenticationError)) throw error;
          runtime.logger.info("refresh token refused", { provider: runtime.provider, code: error.code });
        }
      }
      return requestToken(runtime, { grant_type: "password", username: user.userId, password: user.password });
    },
    async revokeToken(runtime, token) {
      const { accessToken: clientToken } = await clientAuth.getToken(runtime);
      // The refresh token first: revoking only the access token would let the refresh token mint a new one.
      const tokens = [
        ...(token.refreshToken ? [{ token: token.refreshToken, hint: "refresh_token" as const }] : []),
        { token: token.accessToken, hint: "access_token" as const },
      ];
      await revokeTokens(runtime, accessUrl, clientToken, tokens);
    },
  });
}

/**
 * Holds the user token a process token was exchanged for: core's `staticHeadersAuth`, since finAPI issues
 * it without a refresh token and the process token cannot be exchanged again, so this credential cannot
 * renew itself. A refused token (401) is reported as `PROCESS_TOKEN_EXPIRED` at once, and the caller
 * decides whether to start a new process (a silent re-run would create another user).
 */
export function processTokenAuth(
  accessToken: string,
  revoke: (runtime: ClientRuntime, accessToken: string) => Promise<void>,
): AuthPlugin {
  return staticHeadersAuth({
    name: "finapi-process-token-auth",
    kind: "process_user_token",
    headers: { authorization: `Bearer ${accessToken}` },
    describeRejection: () => ({ code: "PROCESS_TOKEN_EXPIRED" }),
    rejectedMessage:
      "finapi refused the user token of this process (401): it expired or was revoked, and a process token gives" +
      " only one user token. Start a new process with startProcess().",
    revoke: (runtime) => revoke(runtime, accessToken),
  });
}

/**
 * Revokes tokens at finAPI Access (`POST /api/v2/oauth/revoke`, the token and its type as form fields) with a
 * client token as bearer. finAPI answers 200 even for unknown tokens, so any other status is a real failure.
 */
export async function revokeTokens(
  runtime: ClientRuntime,
  accessUrl: string,
  clientToken: string,
  tokens: ReadonlyArray<{ token: string; hint: "access_token" | "refresh_token" }>,
): Promise<void> {
  for (const { token, hint } of tokens) {
    const response = await runtime.plainFetch(`${accessUrl}/api/v2/oauth/revoke`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${clientToken}`,
        "x-request-id": crypto.randomUUID(),
        accept: "application/json",
        "content-type": "application/x-www-form-urlencoded",
      },
      body: new URLSearchParams({ token, token_type_hint: hint }).toString(),
    });
    if (response.ok) {
      await discardBody(response);
      continue;
    }
    const body = await readErrorBody(response);
    const error = apiErrorFor(runtime.provider, response, body, describeFinapiError, [token, clientToken]);
    if (response.status === 401) {
      const { code = "INVALID_TOKEN", requestId } = error;
      throw new AuthenticationError(
        `${runtime.provider} refused the client token used to revoke a ${hint} (401); check the client credentials.`,
        { ...responseErrorOptions(runtime.provider, response, code), requestId, body: error.body },
      );
    }
    throw error;
  }
}

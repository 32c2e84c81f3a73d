import {
  AuthenticationError,
  apiErrorFor,
  bearerTokenAuth,
  discardBody,
  readErrorBody,
  readTokenResponse,
  responseErrorOptions,
  staticHeadersAuth,
  type AuthPlugin,
  type BearerTokenAuth,
  type ClientRuntime,
  type PipelineRequest,
} from "@x/core";
import { describeSfsError } from "./errors.js";

/** Credential kinds, as they appear in cache keys and `token.*` events. */
export const PLATFORM_TOKEN = "platform_token";
export const CLIENT_TOKEN = "client_token";
export const API_KEY = "api_key";

/** The header of SFS's API key mode. */
export const API_KEY_HEADER = "x-sendforsign-key";

export interface SfsPlatformAuthOptions {
  /** Base URL without a trailing slash; the token endpoint is `<baseUrl>/api/token`. */
  baseUrl: string;
  apiKey: string;
  secret: string;
}

export interface SfsClientAuthOptions {
  baseUrl: string;
  /** Part of the identity only: client tokens of two platforms never share a cache entry. */
  apiKey: string;
  clientKey: string;
  /** The platform credential that authorizes the client-token requests. */
  platform: BearerTokenAuth;
}

/**
 * Sends to SFS's one token endpoint, which takes the JSON envelope `{ data: { action, ... } }` for
 * every shape. Through `plainFetch`: timeout and retry, but no auth plugin, so a token request
 * never recurses into the credential it is fetching.
 */
function tokenRequest(
  runtime: ClientRuntime,
  baseUrl: string,
  data: Record<string, string>,
  bearer?: string,
): Promise<Response> {
  const headers: Record<string, string> = { "content-type": "application/json", accept: "application/json" };
  if (bearer !== undefined) headers.authorization = `Bearer ${bearer}`;
  return runtime.plainFetch(`${baseUrl}/api/token`, { method: "POST", headers, body: JSON.stringify({ data }) });
}

/**
 * The platform token: `create` with apiKey + secret, no auth header. Cached, single flight and
 * refreshed ahead of `expires_in` by core's bearerTokenAuth; a 401 on a call drops that token
 * and retries once.
 */
export function sfsPlatformAuth({ baseUrl, apiKey, secret }: SfsPlatformAuthOptions): BearerTokenAuth {
  return bearerTokenAuth({
    kind: PLATFORM_TOKEN,
    identity: [baseUrl, apiKey],
    async fetchToken(runtime) {
      const response = await tokenRequest(runtime, baseUrl, { action: "create", apiKey, secret });
      return readTokenResponse(response, {
        provider: runtime.provider,
        what: "platform token request (apiKey + secret)",
        secrets: [secret, apiKey],
      });
    },
    async revokeToken(runtime, token) {
      const response = await tokenRequest(runtime, baseUrl, { action: "revoke" }, token.accessToken);
      // 401: SFS no longer accepts this token (it expired or was revoked already), which is the goal.
      if (response.status === 401) return void (await discardBody(response));
      await expectRevoked(runtime, response, token.accessToken);
    },
  });
}

/**
 * A client token: `create` with the clientKey, authorized by the platform token. Getting it is a
 * chain: the platform token comes from the same cache (so every client key shares one), and if the
 * token endpoint refuses it with 401 that platform token is dropped, renewed and the request sent
 * once more.
 */
export function sfsClientAuth({ baseUrl, apiKey, clientKey, platform }: SfsClientAuthOptions): BearerTokenAuth {
  return bearerTokenAuth({
    kind: CLIENT_TOKEN,
    identity: [baseUrl, apiKey, clientKey],
    async fetchToken(runtime) {
      const response = await withPlatformBearer(runtime, platform, (bearer) =>
        tokenRequest(runtime, baseUrl, { action: "create", clientKey }, bearer),
      );
      if (response.status === 404) {
        await discardBody(response);
        throw new AuthenticationError(
          `sfs does not know the clientKey "${clientKey}" on this platform; create the client with /api/client first` +
            " or check the key.",
          responseErrorOptions(runtime.provider, response, "UNKNOWN_CLIENT_KEY"),
        );
      }
      const what = `client token request for clientKey "${clientKey}"`;
      return readTokenResponse(response, { provider: runtime.provider, what });
    },
    async revokeToken(runtime, token) {
      const response = await withPlatformBearer(runtime, platform, (bearer) =>
        tokenRequest(runtime, baseUrl, { action: "revoke", accessToken: token.accessToken }, bearer),
      );
      await expectRevoked(runtime, response, token.accessToken);
    },
  });
}

/**
 * Sends a request carrying the platform bearer. A 401 means the platform token died early
 * (revoked, expired on the server's clock): `invalidate` drops exactly that token (compare and
 * delete, so a fresher one that a concurrent request already stored survives), then a new one is
 * fetched and the request sent once more. A second 401 is returned to the caller, which reports
 * it; no loop.
 */
async function withPlatformBearer(
  runtime: ClientRuntime,
  platform: BearerTokenAuth,
  send: (bearer: string) => Promise<Response>,
): Promise<Response> {
  const token = await platform.getToken(runtime);
  const response = await send(token.accessToken);
  if (response.status !== 401) return response;
  await discardBody(response);
  await platform.invalidate(runtime, token.accessToken);
  return send((await platform.getToken(runtime)).accessToken);
}

/**
 * A revoke answers 201; anything else is an `ApiError` with SFS's message. The request carried a
 * token, which a provider may quote in its message ("could not revoke <token>"), so it is passed
 * to core as a secret to scrub from the error's message and body.
 */
async function expectRevoked(runtime: ClientRuntime, response: Response, token: string): Promise<void> {
  if (response.ok) return void (await discardBody(response));
  throw apiErrorFor(runtime.provider, response, await readErrorBody(response), describeSfsError, [token]);
}

export interface SfsApiKeyAuthOptions {
  apiKey: string;
  /**
   * The client the calls act for, added as `clientKey` to each call's `data` (or to the query of the file
   * endpoints) unless the call names one itself. Without it, calls are platform-level (`/api/client`).
   */
  clientKey?: string;
}

/**
 * SFS's second auth mode: the API key itself in `X-Sendforsign-Key`, no token, and the client named by `clientKey`
 * inside `data`, as the reference pages, Sendforsign's MCP server and its components send it. There is no token to
 * renew, so a refusal (401 missing, 403 invalid) is final: an `AuthenticationError` at once, from core's
 * `staticHeadersAuth`, with the key scrubbed from the error.
 */
export function sfsApiKeyAuth({ apiKey, clientKey }: SfsApiKeyAuthOptions): AuthPlugin {
  const headers = staticHeadersAuth({
    name: "sfs-api-key-auth",
    kind: API_KEY,
    headers: { [API_KEY_HEADER]: apiKey },
    isRejected: (response) => response.status === 401 || response.status === 403,
    describeRejection: (body) => describeSfsError(body),
  });
  if (clientKey === undefined) return headers;
  return {
    ...headers,
    middleware: (request, next, ctx) => headers.middleware(withClientKey(request, clientKey), next, ctx),
  };
}

/**
 * The request naming `clientKey`: inside the JSON envelope's `data` for the JSON resources, else (the file
 * endpoints: a GET, or a multipart upload) in the query. A call that names a client itself keeps its own. A new value
 * each time, never the caller's request changed: a retry starts again from the caller's value.
 */
function withClientKey(request: PipelineRequest, clientKey: string): PipelineRequest {
  const envelope = typeof request.body === "string" ? parseEnvelope(request.body) : undefined;
  if (envelope) {
    if (envelope.data.clientKey !== undefined) return request;
    return { ...request, body: JSON.stringify({ ...envelope, data: { ...envelope.data, clientKey } }) };
  }
  const url = new URL(request.url);
  if (url.searchParams.has("clientKey")) return request;
  url.searchParams.set("clientKey", clientKey);
  return { ...request, url: url.href };
}

function parseEnvelope(body: string): { data: Record<string, unknown> } | undefined {
  try {
    const parsed: unknown = JSON.parse(body);
    const data = typeof parsed === "object" && parsed !== null ? (parsed as { data?: unknown }).data : undefined;
    return typeof data === "object" && data !== null && !Array.isArray(data)
      ? { ...(parsed as object), data: data as Record<string, unknown> }
      : undefined;
  } catch {
    return undefined;
  }
}

import {
  ApiError,
  AuthenticationError,
  ConfigurationError,
  NetworkError,
  assertSecureUrl,
  createProviderClient,
  createTokenCache,
  redactBody,
  requireString,
  type AuthPlugin,
  type ClientRuntime,
  type ProviderClient,
  type SharedClientOptions,
} from "@x/core";
import { finapiClientAuth, finapiUserAuth, processTokenAuth, revokeTokens } from "./auth.js";
import { finapiErrorDescriber } from "./errors.js";
import type { components, paths } from "./generated/schema.js";
import { operations, servers } from "./generated/spec.js";
import { requestIdPlugin } from "./request-id.js";

export type FinapiEnvironment = "sandbox" | "production";
export type User = components["schemas"]["User"];
export type UserCreateParams = components["schemas"]["UserCreateParams"];

export interface FinapiClientOptions extends SharedClientOptions {
  /** OAuth client id from finAPI. */
  clientId: string;
  /** OAuth client secret from finAPI; sent to the token endpoint and the Process Controller only. */
  clientSecret: string;
  /** Picks the Access and Process Controller URLs from the spec. Default "production". */
  environment?: FinapiEnvironment;
  /** finAPI Access base URL; overrides `environment` (e.g. @x/sandbox). `baseUrl` is accepted as an alias. */
  accessUrl?: string;
  /** Process Controller base URL; overrides `environment`. */
  processControllerUrl?: string;
}

/** A typed finAPI Access client (openapi-fetch over the generated `paths`). */
export type FinapiApiClient = ProviderClient<paths>;

/** What a user client adds to a typed client; `withOptions` keeps it. */
export interface FinapiUserHelpers {
  /** Deletes the user and all its data at finAPI, then drops the user's cached tokens. */
  deleteUser(): Promise<void>;
}

/** An Access client authorized as one user. */
export type FinapiUserClient = ProviderClient<paths, FinapiUserHelpers>;

export interface FinapiProcess {
  processToken: string;
  clientReference: string;
  /** Authorized with the process's user token, which cannot be renewed (see `PROCESS_TOKEN_EXPIRED`). */
  client: FinapiApiClient;
}

/** What the client-token client adds to a typed client; `withOptions` keeps it. */
export interface FinapiHelpers {
  /** Creates a finAPI user with the client token; the returned `User` holds the password in clear, once. */
  createUser(params?: UserCreateParams): Promise<User>;
  /** A client authorized as this user; any number of them share the token cache and the client token. */
  forUser(user: { userId: string; password: string }): FinapiUserClient;
  /** Creates a Process Controller process and exchanges its process token (once) for a user token. */
  startProcess(params: { clientReference: string; processId?: string }): Promise<FinapiProcess>;
  /** Exchanges a process token created elsewhere for a user token, with `invalidate=true`: it works once. */
  openProcess(processToken: string): Promise<FinapiApiClient>;
}

/** The client-token client plus the user and process flows built on it. */
export type FinapiClient = ProviderClient<paths, FinapiHelpers>;

type ProcessAccessToken = components["schemas"]["ProcessAccessToken"];

/**
 * A finAPI client authorized with the client token (`client_credentials`, cached, single
 * flight, refreshed ahead of expiry), with `X-Request-Id` on every request and finAPI's
 * error codes on every `ApiError`.
 */
export function createFinapiClient(options: FinapiClientOptions): FinapiClient {
  const { clientId, clientSecret, environment = "production", accessUrl, processControllerUrl, baseUrl, plugins, ...shared } = options ?? ({} as FinapiClientOptions);
  requireString(clientId, "clientId", "finapi");
  requireString(clientSecret, "clientSecret", "finapi");
  if (environment !== "sandbox" && environment !== "production") {
    throw new ConfigurationError(`environment must be "sandbox" or "production"; set accessUrl and processControllerUrl for any other host.`, { provider: "finapi", option: "environment" });
  }
  const access = assertSecureUrl(accessUrl ?? baseUrl ?? servers[`access-${environment}`], accessUrl !== undefined ? "accessUrl" : "baseUrl", "finapi").href.replace(/\/$/, "");
  const processController = assertSecureUrl(processControllerUrl ?? servers[`processctl-${environment}`], "processControllerUrl", "finapi").href.replace(/\/$/, "");
  // One cache for the client token and every user token made from this client.
  const tokenCache = shared.tokenCache ?? createTokenCache();
  const credentials = { accessUrl: access, clientId, clientSecret };
  const requestIds = requestIdPlugin();

  const make = <Extras extends object = {}>(
    baseUrl: string,
    auth: AuthPlugin | undefined,
    secrets: readonly string[],
    extra: Partial<SharedClientOptions> & { extend?: (client: FinapiApiClient) => Extras } = {},
  ): ProviderClient<paths, Extras> =>
    createProviderClient<paths, Extras>({
      ...shared,
      ...extra,
      tokenCache,
      provider: "finapi",
      baseUrl,
      operations,
      auth,
      // The caller's plugins first, so an X-Request-Id they set is kept.
      plugins: [...(plugins ?? []), requestIds],
      describeError: finapiErrorDescriber([clientSecret, ...secrets]),
    });

  const clientAuth = finapiClientAuth(credentials);
  // Neither call of the process flow may be repeated: a POST creates a process, and the
  // exchange with invalidate=true succeeds once, so a retry after a lost answer would fail.
  const processControl = make(processController, undefined, [], { idempotent: false });

  const revokeWithClientToken = async (runtime: ClientRuntime, accessToken: string) => {
    const { accessToken: clientToken } = await clientAuth.getToken(runtime);
    await revokeTokens(runtime, access, clientToken, [{ token: accessToken, hint: "access_token" }]);
  };

  async function openProcess(processToken: string): Promise<FinapiApiClient> {
    requireString(processToken, "processToken", "finapi");
    const { accessToken } = await exchangeProcessToken(processToken);
    return make(access, processTokenAuth(accessToken, revokeWithClientToken), [accessToken]);
  }

  /**
   * Sent through the configured fetch alone, not the pipeline or `runtime.plainFetch`: the process
   * token is in the path, which their errors and retry events would name, and plainFetch retries,
   * while a second exchange fails (invalidate=true). Never retried, never logged.
   * `AbortSignal.timeout` suits a one-off call, and bounds the body read too.
   */
  async function exchangeProcessToken(processToken: string): Promise<ProcessAccessToken> {
    const send = shared.fetch ?? globalThis.fetch;
    const url = `${processController}/api/v1/processes/${encodeURIComponent(processToken)}?invalidate=true`;
    const what = "the process token exchange (GET /api/v1/processes/{processToken})";
    let response: Response;
    try {
      response = await send(url, { headers: { accept: "application/json", "x-request-id": crypto.randomUUID() }, signal: AbortSignal.timeout(shared.timeoutMs ?? 60_000) });
    } catch (error) {
      throw new NetworkError(`Could not reach the finapi Process Controller for ${what}; the process token may not have been used, check processControllerUrl and retry.`, {
        provider: "finapi",
        code: "NETWORK_ERROR",
        // Only the error's name: fetch failures quote the URL, and this URL holds the process token.
        cause: error instanceof Error ? new Error(error.name) : undefined,
      });
    }
    const text = await response.text().catch(() => "");
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = undefined;
    }
    const requestId = response.headers.get("x-request-id") ?? undefined;
    // finAPI quotes the endpoint it was called on, and the process token travels in that path.
    const safeBody = redactBody(body, [processToken]);
    const details = finapiErrorDescriber([clientSecret, processToken])(body);
    if (response.status === 400 || response.status === 404) {
      throw new AuthenticationError(
        `finapi would not exchange this process token (${response.status}${details?.code ? ` ${details.code}` : ""}): it was already exchanged (the SDK sends invalidate=true, so each token gives one user token), used too often, or never existed. Start a new process.`,
        { provider: "finapi", status: response.status, code: "PROCESS_TOKEN_USED", requestId, body: safeBody },
      );
    }
    const token = (body as Partial<ProcessAccessToken> | undefined)?.accessToken;
    if (!response.ok || typeof token !== "string" || token === "") {
      throw new ApiError(`finapi ${what} failed with ${response.status}${details?.code ? ` ${details.code}` : ""}${response.ok ? " (no accessToken in the answer)" : ""}; the process token may be spent, start a new process if retrying fails.`, {
        provider: "finapi",
        status: response.status,
        code: details?.code,
        requestId,
        body: safeBody,
      });
    }
    return { accessToken: token };
  }

  const helpers = (client: FinapiApiClient): FinapiHelpers => ({
    createUser(params: UserCreateParams = {}) {
      return client.unwrap(client.POST("/api/v2/users", { body: params }));
    },
    forUser(user: { userId: string; password: string }): FinapiUserClient {
      requireString(user?.userId, "userId", "finapi");
      requireString(user?.password, "password", "finapi");
      const userAuth = finapiUserAuth(credentials, clientAuth, user);
      return make(access, userAuth, [user.password], {
        extend: (userClient) => ({
          async deleteUser() {
            await userClient.unwrap(userClient.DELETE("/api/v2/users"));
            // The user is gone at finAPI and its tokens with it; nothing left to revoke.
            await userAuth.invalidate(userClient.runtime);
          },
        }),
      });
    },
    async startProcess(params: { clientReference: string; processId?: string }): Promise<FinapiProcess> {
      const clientReference = requireString(params?.clientReference, "clientReference", "finapi");
      const result = await processControl.POST("/api/v1/processes", {
        body: { clientId, clientSecret, clientReferences: [{ clientReference }], processId: params.processId ?? "USER_ONLY" },
      });
      if (result.response.status === 401) {
        const details = finapiErrorDescriber([clientSecret])(result.error);
        throw new AuthenticationError(`finapi Process Controller refused the client credentials (401${details?.code ? ` ${details.code}` : ""}); check clientId and clientSecret for this environment.`, {
          provider: "finapi",
          status: 401,
          code: details?.code ?? "CREDENTIALS_REJECTED",
          requestId: result.response.headers.get("x-request-id") ?? undefined,
          body: redactBody(result.error),
        });
      }
      const { processes } = await processControl.unwrap(Promise.resolve(result));
      const processToken = (processes.find((p) => p.clientReference === clientReference) ?? processes[0])?.processToken;
      if (!processToken) {
        throw new ApiError("finapi Process Controller created no process token; check processId.", { provider: "finapi", status: result.response.status, code: "UNEXPECTED_ERROR" });
      }
      return { processToken, clientReference, client: await openProcess(processToken) };
    },
    openProcess,
  });
  return make(access, clientAuth, [], { extend: helpers });
}

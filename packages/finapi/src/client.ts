import {
  ConfigurationError,
  assertSecureUrl,
  createProviderClient,
  createTokenCache,
  requireString,
  type AuthPlugin,
  type ClientRuntime,
  type MethodTable,
  type MethodsAt,
  type PathsAt,
  type ProviderClient,
  type SharedClientOptions,
} from "@x/core";
import { finapiClientAuth, finapiUserAuth, processTokenAuth, revokeTokens } from "./auth.js";
import { describeFinapiError, PROVIDER } from "./errors.js";
import { processFlow, type FinapiProcess } from "./process.js";
import { methods, type MethodLevels, type Methods, type PathLevels } from "./generated/methods.js";
import type { paths } from "./generated/schema.js";
import { operations, servers } from "./generated/spec.js";
import type { UserCreateParams, User } from "./generated/types.js";
import type { operations as webFormOperations } from "./generated/webform/spec.js";
import { requestIdPlugin } from "./request-id.js";
import type { FinapiWebFormHelpers, FinapiWebFormMethods, FinapiWebFormPaths } from "./web-form.js";

/** Web Form 2.0 is loaded on first use: an app that never opens a web form does not ship its code or operations. */
const webFormModule = () => import("./web-form.js");

export type FinapiEnvironment = "sandbox" | "production";

export interface FinapiClientOptions extends SharedClientOptions {
  /** OAuth client id from finAPI. */
  clientId: string;
  /** OAuth client secret from finAPI; sent to the token endpoint and the Process Controller only. */
  clientSecret: string;
  /** Picks the Access and Process Controller URLs from the spec. Default "production". */
  environment?: FinapiEnvironment;
  /** finAPI Access base URL; overrides `environment` (e.g. @x/sandbox). `baseUrl` is accepted as an alias. */
  accessUrl?: string;
  /**
   * Process Controller base URL; overrides `environment`. Required for processes once `accessUrl` is set: the SDK
   * never sends the client credentials of a custom Access host to finAPI's own Process Controller.
   */
  processControllerUrl?: string;
  /** Web Form 2.0 base URL; overrides `environment`. Required for web forms once `accessUrl` is set, likewise. */
  webFormUrl?: string;
}

/**
 * The Access methods a client-token client may call (`finapi.users.create(...)`): those finAPI documents for the
 * client's token, and those it documents for either token (banks) or for none. A user-token method is not there.
 */
export type FinapiClientMethods = MethodsAt<Methods, MethodLevels, "client">;
/** The Access methods a user-token client may call (`user.transactions.list(...)`); client-token methods are not. */
export type FinapiUserMethods = MethodsAt<Methods, MethodLevels, "user">;
/** The Access paths of a client-token client: a user-token operation's method is `never` there. */
export type FinapiClientPaths = PathsAt<paths, PathLevels, "client">;
/** The Access paths of a user-token client: a client-token operation's method is `never` there. */
export type FinapiUserPaths = PathsAt<paths, PathLevels, "user">;

/** A typed finAPI Access client authorized by a user token (a process's client): methods and the path style. */
export type FinapiApiClient = ProviderClient<FinapiUserPaths, {}, FinapiUserMethods>;

/** What a user client adds to a typed client (Web Form 2.0 flows included); `withOptions` keeps it. */
export interface FinapiUserHelpers extends FinapiWebFormHelpers {
  /** Deletes the user and all its data at finAPI, then drops the user's cached tokens. */
  deleteUser(): Promise<void>;
}

/** An Access client authorized as one user: the user-token methods, the path style and the user helpers. */
export type FinapiUserClient = ProviderClient<FinapiUserPaths, FinapiUserHelpers, FinapiUserMethods>;

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

export type { FinapiProcess };

/** The client-token client (its methods and the path style) plus the user and process flows built on it. */
export type FinapiClient = ProviderClient<FinapiClientPaths, FinapiHelpers, FinapiClientMethods>;

/**
 * A finAPI client authorized with the client token (`client_credentials`, cached, single
 * flight, refreshed ahead of expiry), with `X-Request-Id` on every request and finAPI's
 * error codes on every `ApiError`.
 */
export function createFinapiClient(options: FinapiClientOptions): FinapiClient {
  const {
    clientId,
    clientSecret,
    environment = "production",
    accessUrl,
    processControllerUrl,
    webFormUrl,
    baseUrl,
    ...rest
  } = options ?? ({} as FinapiClientOptions);
  const { plugins, ...shared } = rest;
  requireString(clientId, "clientId", PROVIDER);
  requireString(clientSecret, "clientSecret", PROVIDER);
  if (environment !== "sandbox" && environment !== "production") {
    throw new ConfigurationError(
      `environment must be "sandbox" or "production"; set accessUrl and processControllerUrl for any other host.`,
      { provider: PROVIDER, option: "environment" },
    );
  }
  const accessOption = accessUrl !== undefined ? "accessUrl" : "baseUrl";
  const customAccess = (accessUrl ?? baseUrl) !== undefined;
  const access = secureUrl(accessUrl ?? baseUrl ?? servers[`access-${environment}`], accessOption);
  // With a custom Access host (a sandbox, a proxy), finAPI's own hosts are never the default for the other APIs:
  // the client credentials and user tokens meant for that host would go to finAPI's production servers.
  const otherHost = <Fallback>(url: string | undefined, option: string, fallback: Fallback) => {
    if (url !== undefined) return secureUrl(url, option);
    if (!customAccess) return fallback;
    return () => {
      throw new ConfigurationError(
        `${option} is required when ${accessOption} is set: the SDK does not send this client's credentials or` +
          ` tokens to finAPI's ${environment} host for it; set ${option} to the host that goes with ${accessOption}.`,
        { provider: PROVIDER, option },
      );
    };
  };
  const processController = otherHost(
    processControllerUrl,
    "processControllerUrl",
    servers[`processctl-${environment}`],
  );
  // undefined: finAPI's Web Form host for `environment`, read from the web form spec once that is loaded.
  const webForm = otherHost(webFormUrl, "webFormUrl", undefined);
  // One cache for the client token and every user token made from this client.
  const tokenCache = shared.tokenCache ?? createTokenCache();
  const credentials = { accessUrl: access, clientId, clientSecret };
  const requestIds = requestIdPlugin();

  /**
   * One Access or Process Controller client. `secrets` are the fixed credentials it sends, which core scrubs from
   * every error; core's token plugins scrub the token they sent on a call themselves.
   */
  const make = <Paths extends {}, Extras extends object = {}, Methods extends object = {}>(
    baseUrl: string,
    auth: AuthPlugin | undefined,
    secrets: readonly string[],
    extra: Partial<SharedClientOptions> & {
      extend?: (client: ProviderClient<Paths, {}, Methods>) => Extras;
      operations?: typeof webFormOperations;
      methods?: MethodTable;
    } = {},
  ): ProviderClient<Paths, Extras, Methods> =>
    createProviderClient<Paths, Extras, Methods>({
      ...shared,
      operations,
      ...extra,
      tokenCache,
      provider: PROVIDER,
      baseUrl,
      auth,
      // The caller's plugins first, so an X-Request-Id they set is kept.
      plugins: [...(plugins ?? []), requestIds],
      describeError: describeFinapiError,
      secrets,
    });

  const clientAuth = finapiClientAuth(credentials);
  const revokeWithClientToken = async (runtime: ClientRuntime, accessToken: string) => {
    const { accessToken: clientToken } = await clientAuth.getToken(runtime);
    await revokeTokens(runtime, access, clientToken, [{ token: accessToken, hint: "access_token" }]);
  };
  let processControl: { url: string; client: ProviderClient<paths> } | undefined;
  const processes = processFlow({
    processController: () => {
      const url = typeof processController === "string" ? processController : processController();
      // Not dead: a client-wide `idempotent: true` must not make the POST that creates a process retryable. No
      // methods: the Process Controller's two operations are this flow's own, on another host than Access.
      processControl ??= { url, client: make<paths>(url, undefined, [clientSecret], { idempotent: false }) };
      return processControl;
    },
    clientId,
    clientSecret,
    fetch: shared.fetch,
    timeoutMs: shared.timeoutMs,
    userClient: (accessToken): FinapiApiClient =>
      make(access, processTokenAuth(accessToken, revokeWithClientToken), [clientSecret, accessToken], { methods }),
  });

  const helpers = (client: ProviderClient<FinapiClientPaths, {}, FinapiClientMethods>): FinapiHelpers => ({
    createUser(params: UserCreateParams = {}) {
      return client.users.create(params);
    },
    forUser(user: { userId: string; password: string }): FinapiUserClient {
      requireString(user?.userId, "userId", PROVIDER);
      requireString(user?.password, "password", PROVIDER);
      const userAuth = finapiUserAuth(credentials, clientAuth, user);
      const secrets = [clientSecret, user.password];
      // Built on first use: a user client that never opens a web form needs no web form host.
      let webForms: Promise<FinapiWebFormHelpers> | undefined;
      const webFormFlows = () =>
        (webForms ??= (async () => {
          const url = typeof webForm === "function" ? webForm() : webForm;
          const { webFormHelpers, webFormMethods, webFormOperations, webFormServers } = await webFormModule();
          const baseUrl = url ?? webFormServers[`webform-${environment}`];
          const options = { operations: webFormOperations, methods: webFormMethods };
          return webFormHelpers(
            make<FinapiWebFormPaths, {}, FinapiWebFormMethods>(baseUrl, userAuth, secrets, options),
          );
        })());
      return make<FinapiUserPaths, FinapiUserHelpers, FinapiUserMethods>(access, userAuth, secrets, {
        methods,
        extend: (userClient) => ({
          async deleteUser() {
            await userClient.users.delete();
            // The user is gone at finAPI and its tokens with it; nothing left to revoke.
            await userAuth.invalidate(userClient.runtime);
          },
          webForms: async () => (await webFormFlows()).webForms(),
          importBankConnection: async (details) => (await webFormFlows()).importBankConnection(details),
          waitForWebForm: async (id, options) => (await webFormFlows()).waitForWebForm(id, options),
          updateBankConnection: async (details) => (await webFormFlows()).updateBankConnection(details),
          waitForTask: async (id, options) => (await webFormFlows()).waitForTask(id, options),
        }),
      });
    },
    startProcess: processes.startProcess,
    openProcess: processes.openProcess,
  });
  return make(access, clientAuth, [clientSecret], { methods, extend: helpers });
}

/** The URL without its trailing slash; https only, http for loopback hosts. */
const secureUrl = (url: string, option: string) => assertSecureUrl(url, option, PROVIDER).href.replace(/\/$/, "");

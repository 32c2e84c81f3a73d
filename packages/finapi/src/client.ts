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
  type OperationTable,
  type PathsAt,
  type ProviderClient,
  type ProviderClientOptions,
  type SharedClientOptions,
} from "@x/core";
import { finapiClientAuth, finapiUserAuth, processTokenAuth, revokeTokens } from "./auth.js";
import { describeFinapiError, PROVIDER } from "./errors.js";
import { processFlow, type FinapiProcess } from "./process.js";
import type { MethodLevels, Methods, PathLevels } from "./generated/methods.js";
import type { paths } from "./generated/schema.js";
import { servers } from "./generated/spec.js";
import type { UserCreateParams, User } from "./generated/types.js";
import { requestIdPlugin } from "./request-id.js";
import type {
  FinapiWebFormHelpers,
  FinapiWebFormMethods,
  FinapiWebFormMiniClient,
  FinapiWebFormPaths,
} from "./web-form.js";

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

/** The user and process flows of a client-token client; `UserClient` and `ApiClient` are what they give. */
export interface FinapiFlows<UserClient, ApiClient> {
  /** A client authorized as this user; any number of them share the token cache and the client token. */
  forUser(user: { userId: string; password: string }): UserClient;
  /** Creates a Process Controller process and exchanges its process token (once) for a user token. */
  startProcess(params: { clientReference: string; processId?: string }): Promise<FinapiProcess<ApiClient>>;
  /** Exchanges a process token created elsewhere for a user token, with `invalidate=true`: it works once. */
  openProcess(processToken: string): Promise<ApiClient>;
}

/** What the client-token client adds to a typed client; `withOptions` keeps it. */
export interface FinapiHelpers extends FinapiFlows<FinapiUserClient, FinapiApiClient> {
  /** Creates a finAPI user with the client token; the returned `User` holds the password in clear, once. */
  createUser(params?: UserCreateParams): Promise<User>;
}

export type { FinapiProcess };

/** The client-token client (its methods and the path style) plus the user and process flows built on it. */
export type FinapiClient = ProviderClient<FinapiClientPaths, FinapiHelpers, FinapiClientMethods>;

/** `@x/finapi/mini`'s process client: the path style, without the methods (`getAuthorizedUser(client)`). */
export type FinapiMiniApiClient = ProviderClient<FinapiUserPaths>;
/**
 * `@x/finapi/mini`'s user helpers: the Web Form 2.0 flows, whose `webForms()` gives a web form client without
 * methods. `deleteUser` is the function `deleteUser(user)` there.
 */
export type FinapiMiniUserHelpers = FinapiWebFormHelpers<FinapiWebFormMiniClient>;
/** `@x/finapi/mini`'s user client: the path style and the web form flows, without the methods or `deleteUser`. */
export type FinapiMiniUserClient = ProviderClient<FinapiUserPaths, FinapiMiniUserHelpers>;
/** `@x/finapi/mini`'s client-token helpers: the user and process flows; `createUser` is the function there. */
export type FinapiMiniHelpers = FinapiFlows<FinapiMiniUserClient, FinapiMiniApiClient>;
/**
 * The client of `@x/finapi/mini`: the path style and the user and process flows, without the generated methods,
 * the spec's operations table or the helpers that call one operation (`createUser`, a user's `deleteUser`). Call the
 * operations as the functions that entry exports (`createUser(finapi, params)`, `getAndSearchAllBanks(finapi)`).
 */
export type FinapiMiniClient = ProviderClient<FinapiClientPaths, FinapiMiniHelpers>;

/**
 * `createFinapiClient` without the generated methods, the spec's operations tables and the helpers that call one
 * operation, on every client it leads to (user, process, web form): what `@x/finapi/mini` exports under that name.
 *
 * @example
 * import { createFinapiClient, createUser, getAndSearchAllTransactions } from "@x/finapi/mini";
 * const finapi = createFinapiClient({ clientId, clientSecret });
 * const { id, password } = await createUser(finapi, {});
 * for await (const t of getAndSearchAllTransactions(finapi.forUser({ userId: id, password }), { view: "bankView" }))
 *   console.log(t.amount);
 */
export function createFinapiMiniClient(options: FinapiClientOptions): FinapiMiniClient {
  return finapiClient<FinapiMiniHelpers, {}, FinapiMiniUserHelpers, {}, {}>(options, {
    extend: (_client, flows) => flows,
    extendUser: (_user, webForms) => webForms,
  });
}

/**
 * What a full client has and a mini one has not: the spec's tables, and the helpers each level adds to the flows.
 * `M`, `UserM` and `WebFormM` are the method types of the tables given.
 */
export interface FinapiSpec<
  Extras extends object,
  M extends object,
  UserExtras extends object,
  UserM extends object,
  WebFormM extends object,
> {
  /** The Access and Process Controller spec's operations table: operationIds in events, retry facts. */
  operations?: OperationTable;
  /** The generated Access methods, on every Access client (client token, user, process). */
  methods?: MethodTable;
  /** Loads the Web Form 2.0 spec's tables, with the web form code on the first web form call. */
  webFormTables?: () => Promise<Pick<ProviderClientOptions, "operations" | "methods">>;
  /** The client-token client's helpers, from the user and process flows. */
  extend(
    client: ProviderClient<FinapiClientPaths, {}, M>,
    flows: FinapiFlows<ProviderClient<FinapiUserPaths, UserExtras, UserM>, ProviderClient<FinapiUserPaths, {}, UserM>>,
  ): Extras;
  /** A user client's helpers, from its web form flows. */
  extendUser(
    user: ProviderClient<FinapiUserPaths, {}, UserM>,
    webForms: FinapiWebFormHelpers<ProviderClient<FinapiWebFormPaths, {}, WebFormM>>,
  ): UserExtras;
}

/** A finAPI client over `spec`: the full one with its tables and helpers, or mini's without. */
export function finapiClient<
  Extras extends object,
  M extends object,
  UserExtras extends object,
  UserM extends object,
  WebFormM extends object,
>(
  options: FinapiClientOptions,
  spec: FinapiSpec<Extras, M, UserExtras, UserM, WebFormM>,
): ProviderClient<FinapiClientPaths, Extras, M> {
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
    extra: Partial<SharedClientOptions> &
      Pick<ProviderClientOptions, "operations" | "methods"> & {
        extend?: (client: ProviderClient<Paths, {}, Methods>) => Extras;
      } = {},
  ): ProviderClient<Paths, Extras, Methods> =>
    createProviderClient<Paths, Extras, Methods>({
      ...shared,
      operations: spec.operations,
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
  const tables = { methods: spec.methods };
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
    userClient: (accessToken) =>
      make<FinapiUserPaths, {}, UserM>(
        access,
        processTokenAuth(accessToken, revokeWithClientToken),
        [clientSecret, accessToken],
        tables,
      ),
  });

  const forUser = (user: { userId: string; password: string }) => {
    requireString(user?.userId, "userId", PROVIDER);
    requireString(user?.password, "password", PROVIDER);
    const userAuth = finapiUserAuth(credentials, clientAuth, user);
    const secrets = [clientSecret, user.password];
    type WebFormClient = ProviderClient<FinapiWebFormPaths, {}, WebFormM>;
    // Built on first use: a user client that never opens a web form needs no web form host.
    let webFormsBuilt: Promise<FinapiWebFormHelpers<WebFormClient>> | undefined;
    const webFormFlows = () =>
      (webFormsBuilt ??= (async () => {
        const url = typeof webForm === "function" ? webForm() : webForm;
        const [{ webFormHelpers, webFormServers }, webFormTables] = await Promise.all([
          webFormModule(),
          spec.webFormTables?.(),
        ]);
        const baseUrl = url ?? webFormServers[`webform-${environment}`];
        // The web form spec's tables, or none (mini): never the Access operations table `make` starts from.
        const options = { operations: webFormTables?.operations, methods: webFormTables?.methods };
        return webFormHelpers(make<FinapiWebFormPaths, {}, WebFormM>(baseUrl, userAuth, secrets, options));
      })());
    const webForms: FinapiWebFormHelpers<WebFormClient> = {
      webForms: async () => (await webFormFlows()).webForms(),
      importBankConnection: async (details) => (await webFormFlows()).importBankConnection(details),
      waitForWebForm: async (id, options) => (await webFormFlows()).waitForWebForm(id, options),
      updateBankConnection: async (details) => (await webFormFlows()).updateBankConnection(details),
      waitForTask: async (id, options) => (await webFormFlows()).waitForTask(id, options),
    };
    return make<FinapiUserPaths, UserExtras, UserM>(access, userAuth, secrets, {
      ...tables,
      extend: (userClient) => spec.extendUser(userClient, webForms),
    });
  };
  const flows = { forUser, startProcess: processes.startProcess, openProcess: processes.openProcess };
  return make<FinapiClientPaths, Extras, M>(access, clientAuth, [clientSecret], {
    ...tables,
    extend: (client) => spec.extend(client, flows),
  });
}

/** The URL without its trailing slash; https only, http for loopback hosts. */
const secureUrl = (url: string, option: string) => assertSecureUrl(url, option, PROVIDER).href.replace(/\/$/, "");

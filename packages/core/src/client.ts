// Types only: the path-style calls are typed as openapi-fetch types them, and built by ./path-request.ts.
import type { FetchResponse, MaybeOptionalInit } from "openapi-fetch";
import type { HttpMethod, PathsWithMethod, RequiredKeysOf } from "openapi-typescript-helpers";
import { redactErrorResponse } from "./body.js";
import { resolveCallOptions, type CallOptions, type ResolvedCallOptions } from "./call-options.js";
import { ApiError, requestIdOf, responseErrorOptions } from "./errors.js";
import { ignoreEvents, safeEmitter, type EventHandler, type Logger } from "./events.js";
import { defineMethods, type MethodTable } from "./operation-methods.js";
import { operationsOf, type Operation, type OperationTable } from "./operation.js";
import { mergeHeaders, pluginNames, resolveClientOptions, type ResolvedClientOptions } from "./options.js";
import { buildPathRequest, readAnswer, type PathAnswer, type PathInit } from "./path-request.js";
import { composeMiddlewares } from "./pipeline.js";
import type { AuthPlugin, ClientRuntime, Plugin, RequestContext } from "./plugin.js";
import { describePath, describeRoute, redactBody, scrubSecrets } from "./redact.js";
import { createRequest, toPipelineRequest, type PipelineRequest, type PipelineRequestInit } from "./request.js";
import { IDEMPOTENT_METHODS, retryPlugin, type RetryOptions } from "./retry.js";
import { optionError } from "./security.js";
import { createTokenCache, type TokenCache } from "./token-cache.js";
import { timeoutPlugin } from "./timeout.js";
import { createTransport } from "./transport.js";

/** Options every provider factory accepts besides its credentials (`createSfsClient({ apiKey, secret, ...these })`). */
export interface SharedClientOptions {
  /** Overrides the provider's production URL (a sandbox, a staging host). https only, except loopback. */
  baseUrl?: string;
  /** Extra plugins, outermost first; they run inside retry and outside auth. */
  plugins?: readonly Plugin[];
  /** Share one cache between clients and providers (and across processes with a shared store). */
  tokenCache?: TokenCache;
  /** The transport. Default `globalThis.fetch`. */
  fetch?: typeof fetch;
  /** Limit for a whole call, retries, token fetches and the reading of the answer included. Default 60 000. */
  timeoutMs?: number;
  /**
   * Largest answer body accepted, in bytes; a larger one is a `ResponseTooLargeError` and the rest
   * is not downloaded. Default 67 108 864 (64 MiB).
   */
  maxResponseBytes?: number;
  /** Retry policy, or `false` for a single attempt. Default `{ retries: 2, minDelayMs: 250, maxDelayMs: 8000 }`. */
  retry?: RetryOptions | false;
  /** Headers sent on every request (overridable per request). */
  headers?: Record<string, string>;
  /** Prepended to the SDK's own User-Agent. */
  userAgent?: string;
  /** Default: silent. */
  logger?: Logger;
  /** Receives typed events: tokens fetched, cache hits, retries, finished requests. */
  onEvent?: EventHandler;
  /** Treat every request of this client as safe to retry, POSTs included. */
  idempotent?: boolean;
}

export interface ProviderClientOptions extends SharedClientOptions {
  /** Provider name, used in errors, events and cache keys. */
  provider: string;
  baseUrl: string;
  /** The credential plugin; it runs last, next to the transport. */
  auth?: AuthPlugin;
  /** Extracts the provider's error code, message and request id from an error body, for `ApiError`. */
  describeError?: (body: unknown) => { code?: string; message?: string; requestId?: string } | undefined;
  /**
   * The credentials this client sends (keys, secrets). A provider that echoes a request in
   * its error body cannot leak them: they are scrubbed from every `ApiError` message and body.
   */
  secrets?: readonly string[];
  /**
   * The spec's operations (the generator's `operations` table): operationIds, and which
   * operations are safe to repeat although their method is not (`x-idempotent`, `x-action`).
   */
  operations?: OperationTable;
  /**
   * Reads the action of a typed call from its body, before it is serialized, for operations
   * whose `x-action` lists the actions that only read (SFS: `body.data.action`).
   */
  actionOf?: (body: unknown) => unknown;
  /**
   * The generator's `methods` table: every operation as a method, grouped by tag (`client.transactions.list()`).
   * Give its `Methods` type as the client's third type parameter.
   */
  methods?: MethodTable;
}

/** Per-call overrides of `withOptions`. */
export type RequestOverrides = Pick<
  SharedClientOptions,
  "timeoutMs" | "maxResponseBytes" | "retry" | "headers" | "idempotent"
>;

/** openapi-fetch's init argument, optional when nothing in it is required, then the call's options. */
type PathCallArgs<Init> =
  RequiredKeysOf<Init> extends never
    ? [init?: Init & { [key: string]: unknown }, options?: CallOptions]
    : [init: Init & { [key: string]: unknown }, options?: CallOptions];

/** A path-style call: openapi-fetch's typed method, with the call's options as its last argument. */
export type PathCall<Paths extends {}, Method extends HttpMethod> = <
  Path extends PathsWithMethod<Paths, Method>,
  Init extends MaybeOptionalInit<Paths[Path], Method & keyof Paths[Path]>,
>(
  path: Path,
  ...args: PathCallArgs<Init>
) => Promise<FetchResponse<(Paths[Path] & Record<Method, {}>)[Method], Init, `${string}/${string}`>>;

/** The paths of a method whose parameters (or body) are required, so that a call without its init cannot work. */
type PathsNeedingInit<Paths extends {}, Method extends HttpMethod> = {
  [Path in PathsWithMethod<Paths, Method>]: [
    RequiredKeysOf<MaybeOptionalInit<Paths[Path], Method & keyof Paths[Path]>>,
  ] extends [never]
    ? never
    : Path;
}[PathsWithMethod<Paths, Method>];

/**
 * A signature no real call matches, there only for its error: `client.GET("/customers/{id}")` without its init reads
 * `'"/customers/{id}"' is not assignable to ... "/customers/{id} needs its init: pass { params } (or { body })"`
 * instead of openapi-fetch's `Expected 2 arguments, but got 1`. First, so TypeScript reports it for a one-argument
 * call; the real signature stays last, the one `infer` and `Parameters` read.
 */
type NamedPathError<Paths extends {}, Method extends HttpMethod> = 0 extends 1 & Paths // `any` paths: no names
  ? unknown
  : [PathsNeedingInit<Paths, Method>] extends [never]
    ? unknown
    : (path: `${PathsNeedingInit<Paths, Method> & string} needs its init: pass { params } (or { body })`) => never;

/** openapi-fetch's `request(method, path, init)`, with the call's options last: `GET` and the others by name. */
export type PathRequest<Paths extends {}> = <
  Method extends HttpMethod,
  Path extends PathsWithMethod<Paths, Method>,
  Init extends MaybeOptionalInit<Paths[Path], Method & keyof Paths[Path]>,
>(
  method: Method,
  path: Path,
  ...args: PathCallArgs<Init>
) => Promise<FetchResponse<(Paths[Path] & Record<Method, {}>)[Method], Init, `${string}/${string}`>>;

/**
 * The path-style calls, typed as openapi-fetch's client types them, each taking the call's options last.
 * openapi-fetch's `use`/`eject` middleware is not there: core's plugins are the middleware.
 */
export type PathClient<Paths extends {}> = {
  request: PathRequest<Paths>;
} & {
  [Method in HttpMethod as Uppercase<Method>]: NamedPathError<Paths, Method> & PathCall<Paths, Method>;
};

/**
 * The path-style calls over the generated `paths`, sent through the plugin pipeline,
 * plus the provider's own helpers (`Extras`, from the `extend` option) and its generated methods (`Methods`, from
 * the `methods` option). A helper object named like a tag joins that tag's methods.
 */
export type ProviderClient<
  Paths extends {},
  Extras extends object = {},
  Methods extends object = {},
> = PathClient<Paths> &
  Extras &
  Methods & {
    readonly provider: string;
    readonly baseUrl: string;
    /** What the auth plugin and others use to fetch tokens; also `plainFetch` for unauthenticated sends. */
    readonly runtime: ClientRuntime;
    readonly auth: AuthPlugin | undefined;
    /** The names of the plugins a call passes through, outermost first: `["timeout", "retry", ...plugins, auth]`. */
    readonly plugins: readonly string[];
    /** The full pipeline as a `fetch` function, for requests the spec does not describe. */
    readonly fetch: (input: Request | string | URL, init?: RequestInit) => Promise<Response>;
    /** The same client with other timeout, retry, headers or idempotency, sharing tokens. */
    withOptions(overrides: RequestOverrides): ProviderClient<Paths, Extras, Methods>;
    /**
     * Awaits a path-style call's result and returns its `data`, or throws an `ApiError` carrying
     * the status, the provider's error code and body, and the request id.
     */
    unwrap<T>(result: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T>;
    /** Revokes the client's credential (if its auth plugin can) and drops it from the cache. */
    revoke(): Promise<void>;
  };

const SDK_USER_AGENT = "x-sdk/0.1";

/** Options of `createProviderClient`, with the provider's helpers. */
export interface ExtendableClientOptions<Paths extends {}, Extras extends object, Methods extends object = {}>
  extends ProviderClientOptions {
  /**
   * Adds the provider's helpers (`uploadMedium`, `forClient`, ...) to the client. Called for
   * every client built, `withOptions` included, so a derived client keeps them. `overrides` are
   * the `withOptions` overrides this client was derived with (`{}` for the first), so a helper
   * that builds another client (`forCustomer`) can give it the same timeout, retry and headers.
   */
  extend?: (client: ProviderClient<Paths, {}, Methods>, overrides: RequestOverrides) => Extras;
}

const HTTP_METHODS = ["GET", "PUT", "POST", "DELETE", "OPTIONS", "HEAD", "PATCH", "TRACE"] as const;

/** What a typed call tells the pipeline besides its request: its operation, action-based idempotency and options. */
interface TypedCall {
  readonly operation: Operation;
  readonly idempotent: boolean | undefined;
  readonly options: ResolvedCallOptions | undefined;
}

export function createProviderClient<Paths extends {}, Extras extends object = {}, Methods extends object = {}>(
  options: ExtendableClientOptions<Paths, Extras, Methods>,
): ProviderClient<Paths, Extras, Methods> {
  const root = resolveClientOptions(options);
  const { provider, baseUrl, logger } = root;
  const emit = safeEmitter(options.onEvent, logger);
  const tokenCache = options.tokenCache ?? createTokenCache();
  // Looked up per call, not captured, so a fetch installed later (instrumentation) is used.
  const transport = createTransport(options.fetch ?? ((input, init) => globalThis.fetch(input, init)), provider);
  // One resolver per method, shared by every client `withOptions` derives: operations are facts of the spec.
  const operationsByMethod = new Map(HTTP_METHODS.map((method) => [method, operationsOf(method, options.operations)]));

  // A client per set of options; `withOptions` builds another over the same transport, cache and events.
  const build = (
    options: ResolvedClientOptions<Paths, Extras, Methods>,
    derived: RequestOverrides,
  ): ProviderClient<Paths, Extras, Methods> => {
    // Retry stays in the pipeline with `retry: false` (a single attempt), so that one call can still ask for retries.
    const outer = [timeoutPlugin(options.timeoutMs, options.maxResponseBytes), retryPlugin(options.retry)];
    const stack = [...outer, ...options.plugins, ...(options.auth ? [options.auth] : [])];
    const plugins = pluginNames(stack, provider);
    const compose = (plugins: readonly Plugin[]) =>
      composeMiddlewares(
        plugins.map((p) => p.middleware),
        transport,
      );
    const plainPipeline = compose(outer);
    const pipeline = compose(stack);
    // Every context has the same shape, so the engine sees one object layout on the hot path.
    const context = (
      operation: Operation | undefined,
      idempotent: boolean,
      call: ResolvedCallOptions | undefined,
    ): RequestContext => ({
      provider,
      logger,
      emit,
      tokenCache,
      plainFetch,
      attempt: 1,
      idempotent,
      signal: undefined,
      secrets: undefined,
      operation,
      call,
    });
    const plainFetch = (url: string, init?: PipelineRequestInit) => {
      // JavaScript callers of the v1 contract passed a Request; say so instead of failing as an unreachable
      // "<invalid URL>".
      if (typeof url !== "string")
        return Promise.reject(
          optionError("plainFetch(url, init)", "takes a URL string and a fetch-like init, not a Request.", provider),
        );
      const ctx = context(undefined, true, undefined);
      return plainPipeline(createRequest(url, init), ctx).then((response) => redacted(response, ctx));
    };
    // An error answer is read within the call's bounds and scrubbed of every credential the call carried.
    const redacted = (response: Response, ctx: RequestContext) =>
      response.ok ? response : redactErrorResponse(response, secretsOf(ctx));
    const secretsOf = (ctx: RequestContext) =>
      ctx.secrets ? [...(options.secrets ?? []), ...ctx.secrets] : options.secrets;
    const runtime: ClientRuntime = { provider, logger, emit, tokenCache, plainFetch };
    const userAgent = options.userAgent ? `${options.userAgent} ${SDK_USER_AGENT}` : SDK_USER_AGENT;
    const defaultHeaders = mergeHeaders({ "user-agent": userAgent }, options.headers);

    const send = async (request: PipelineRequest, call: TypedCall | undefined): Promise<Response> => {
      const operation = call?.operation;
      const idempotent =
        call?.options?.idempotent ??
        options.idempotent ??
        call?.idempotent ??
        (operation?.idempotent || IDEMPOTENT_METHODS.has(request.method));
      const ctx = context(operation, idempotent, call?.options);
      // The hot path builds no event it would drop.
      if (emit === ignoreEvents) return redacted(await pipeline(request, ctx), ctx);
      const started = Date.now();
      let status: number | undefined;
      let requestId: string | undefined;
      try {
        const response = await pipeline(request, ctx);
        status = response.status;
        requestId = requestIdOf(response);
        return await redacted(response, ctx);
      } finally {
        emit({
          type: "request.finished",
          provider,
          method: request.method,
          path: describeRoute(request.url, operation),
          operationId: operation?.operationId,
          status,
          durationMs: Date.now() - started,
          attempts: ctx.attempt,
          requestId,
        });
      }
    };

    // Calls outside the spec: default headers added here (typed calls start from them in buildPathRequest).
    const pipelineFetch = async (input: Request | string | URL, init?: RequestInit): Promise<Response> => {
      const request = await toPipelineRequest(input, init);
      for (const name in defaultHeaders)
        if (!request.headers.has(name)) request.headers.set(name, defaultHeaders[name]!);
      return send(request, undefined);
    };

    const client = {} as ProviderClient<Paths>;
    const defaults = { provider, baseUrl, headers: defaultHeaders };
    // Each typed method names its operation; the body's action is read here, before the body is serialized. The
    // call's own options and init are checked before anything is sent.
    const actionOf = options.actionOf;
    const pathCalls = new Map<string, PathCallFn>();
    for (const method of HTTP_METHODS) {
      const operationOf = operationsByMethod.get(method)!;
      // An operation function brings its operation's facts, for a client without the spec's table (`mini`).
      const pathCall: PathCallFn = async (path, init, callOptions, given) => {
        const own = resolveCallOptions(callOptions, provider);
        const operation = given ?? operationOf(path);
        const actions = operation.idempotentActions;
        const idempotent = actions && actionOf ? actions.includes(actionOf(init?.body) as string) : undefined;
        const request = buildPathRequest(defaults, method, path, init, own);
        return readAnswer(await send(request, { operation, idempotent, options: own }), method, init?.parseAs);
      };
      pathCalls.set(method, pathCall);
      (client as unknown as Record<string, unknown>)[method] = pathCall;
    }
    // `request(method, path, init)` is the same call by another name: the same operation, idempotency and options.
    (client as unknown as Record<string, unknown>).request = (
      method: string,
      path: string,
      init?: PathInit,
      callOptions?: CallOptions,
    ) =>
      pathCalls.get(String(method).toUpperCase())?.(path, init, callOptions) ??
      Promise.reject(
        optionError("method", `must be an HTTP method (get, post, ...), got ${String(method)}.`, provider),
      );
    const fail = (response: Response, error: unknown): never => {
      throw apiErrorFor(provider, response, error, options.describeError, options.secrets);
    };
    // Also without a table: the client then serves the spec's operations as standalone functions
    // (`getAccount(client)`).
    defineMethods(client, options.methods ?? {}, { provider, call: (m) => pathCalls.get(m)!, fail });

    Object.assign(client, {
      provider,
      baseUrl,
      runtime,
      auth: options.auth,
      plugins,
      fetch: pipelineFetch,
      withOptions(overrides: RequestOverrides) {
        // Checked like the options at creation; the headers merge as the client's own did.
        const headers = mergeHeaders(options.headers, overrides.headers, provider);
        const all = { ...derived, ...overrides, headers: mergeHeaders(derived.headers, overrides.headers, provider) };
        return build(resolveClientOptions({ ...options, ...overrides, headers, logger }), all);
      },
      async unwrap<T>(result: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
        const { data, error, response } = await result;
        return response.ok ? (data as T) : fail(response, error);
      },
      async revoke() {
        await options.auth?.revoke?.(runtime);
      },
    });
    // A helper object named like a generated tag (`contracts`) joins that tag's methods instead of hiding them.
    const extras = (options.extend?.(client as ProviderClient<Paths, {}, Methods>, derived) ?? {}) as Record<
      string,
      unknown
    >;
    const members = client as unknown as Record<string, unknown>;
    for (const [name, value] of Object.entries(extras)) {
      const joined =
        options.methods?.[name] && typeof value === "object" ? { ...(members[name] as object), ...value } : value;
      Object.defineProperty(client, name, { value: joined, writable: true, enumerable: true, configurable: true });
    }
    return client as ProviderClient<Paths, Extras, Methods>;
  };
  return build(root, {});
}

type PathCallFn = (
  path: string,
  init: PathInit | undefined,
  options: CallOptions | undefined,
  operation?: Operation,
) => Promise<PathAnswer>;

/** The `ApiError` for a provider's error response: status, provider code, message and request id. */
export function apiErrorFor(
  provider: string,
  response: Response,
  body: unknown,
  describeError?: ProviderClientOptions["describeError"],
  secrets: readonly string[] = [],
): ApiError {
  const options = responseErrorOptions(provider, response); // checks `response` first
  const details = describeError?.(body);
  options.code = details?.code;
  options.requestId ??= details?.requestId;
  for (const name in options.headers) options.headers[name] = scrubSecrets(options.headers[name]!, secrets);
  const where = response.url ? ` ${describePath(response.url)}` : "";
  const transient = response.status === 429 || response.status >= 500;
  return new ApiError(
    scrubSecrets(
      `${provider}${where} failed with ${response.status}${details?.code ? ` ${details.code}` : ""}` +
        `${details?.message ? `: ${details.message}` : ""}; ${transient ? "retry later" : "see error.body"}.`,
      secrets,
    ),
    { ...options, body: redactBody(body, secrets) },
  );
}

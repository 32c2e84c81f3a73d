import createClient, { type Client, type ClientOptions } from "openapi-fetch";
import { ApiError, ConfigurationError, responseErrorOptions } from "./errors.js";
import { safeEmitter, silentLogger, type EventHandler, type Logger } from "./events.js";
import { bufferRequest, composeMiddlewares } from "./pipeline.js";
import type { AuthPlugin, ClientRuntime, Plugin, RequestContext } from "./plugin.js";
import { describePath, redactBody, scrubSecrets } from "./redact.js";
import { IDEMPOTENT_METHODS, retryPlugin, type RetryOptions } from "./retry.js";
import { assertSecureUrl, optionError, requirePositiveNumber } from "./security.js";
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
  /** Limit for a whole call, retries included. Default 60 000. */
  timeoutMs?: number;
  /** Retry policy, or `false` for none. Default `{ retries: 2, minDelayMs: 250, maxDelayMs: 8000 }`. */
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
}

/** Per-call overrides of `withOptions`. */
export type RequestOverrides = Pick<SharedClientOptions, "timeoutMs" | "retry" | "headers" | "idempotent">;

/**
 * An openapi-fetch client over the generated `paths`, whose `fetch` is the plugin pipeline,
 * plus the provider's own helpers (`Extras`, from the `extend` option).
 */
export type ProviderClient<Paths extends {}, Extras extends object = {}> = Client<Paths, `${string}/${string}`> & Extras & {
  readonly provider: string;
  readonly baseUrl: string;
  /** What the auth plugin and others use to fetch tokens; also `plainFetch` for unauthenticated sends. */
  readonly runtime: ClientRuntime;
  readonly auth: AuthPlugin | undefined;
  /** The full pipeline as a `fetch` function, for requests the spec does not describe. */
  readonly fetch: (input: Request | string | URL, init?: RequestInit) => Promise<Response>;
  /** The same client with other timeout, retry, headers or idempotency, sharing tokens. */
  withOptions(overrides: RequestOverrides): ProviderClient<Paths, Extras>;
  /**
   * Awaits an openapi-fetch result and returns its `data`, or throws an `ApiError` carrying
   * the status, the provider's error code and body, and the request id.
   */
  unwrap<T>(result: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T>;
  /** Revokes the client's credential (if its auth plugin can) and drops it from the cache. */
  revoke(): Promise<void>;
};

const SDK_USER_AGENT = "x-sdk/0.1";

/** Options of `createProviderClient`, with the provider's helpers. */
export interface ExtendableClientOptions<Paths extends {}, Extras extends object> extends ProviderClientOptions {
  /**
   * Adds the provider's helpers (`uploadMedium`, `forClient`, ...) to the client. Called for
   * every client built, `withOptions` included, so a derived client keeps them.
   */
  extend?: (client: ProviderClient<Paths>) => Extras;
}

export function createProviderClient<Paths extends {}, Extras extends object = {}>(options: ExtendableClientOptions<Paths, Extras>): ProviderClient<Paths, Extras> {
  const provider = options.provider;
  const baseUrl = assertSecureUrl(options.baseUrl, "baseUrl", provider).href.replace(/\/$/, "");
  if (options.timeoutMs !== undefined) requirePositiveNumber(options.timeoutMs, "timeoutMs", provider);
  const isPlugin = (plugin: Plugin | undefined) => typeof plugin?.middleware === "function";
  if (options.auth !== undefined && !isPlugin(options.auth)) throw optionError("auth", "must be an auth plugin (defineAuthPlugin).", provider);
  options.plugins?.forEach((plugin, index) => {
    if (!isPlugin(plugin)) throw new ConfigurationError(`plugins[${index}] must be a plugin (definePlugin).`, { option: "plugins", provider });
  });
  const logger = options.logger ?? silentLogger;
  const emit = safeEmitter(options.onEvent, logger);
  const tokenCache = options.tokenCache ?? createTokenCache();
  // Looked up per call, not captured, so a fetch installed later (instrumentation) is used.
  const transport = createTransport(options.fetch ?? ((input, init) => globalThis.fetch(input, init)), provider);
  // A client per set of options; `withOptions` builds another over the same transport, cache and events.
  const build = (options: ExtendableClientOptions<Paths, Extras>): ProviderClient<Paths, Extras> => {
    const timeoutMs = options.timeoutMs ?? 60_000;
    const outer = [timeoutPlugin(timeoutMs), ...(options.retry === false ? [] : [retryPlugin(options.retry)])];
    const compose = (plugins: readonly Plugin[]) => composeMiddlewares(plugins.map((p) => p.middleware), transport);
    const plainPipeline = compose(outer);
    const runtime: ClientRuntime = {
      provider,
      logger,
      emit,
      tokenCache,
      plainFetch: async (request) => plainPipeline(await bufferRequest(request), { ...runtime, attempt: 1, idempotent: true }),
    };
    const pipeline = compose([...outer, ...(options.plugins ?? []), ...(options.auth ? [options.auth] : [])]);
    const userAgent = options.userAgent ? `${options.userAgent} ${SDK_USER_AGENT}` : SDK_USER_AGENT;
    const defaultHeaders = { "user-agent": userAgent, ...options.headers };

    // Typed calls get the default headers from openapi-fetch, which merges them into the request
    // it builds (cheaper than editing a built Request); `client.fetch` adds them itself.
    const pipelineFetch = async (input: Request | string | URL, init?: RequestInit): Promise<Response> => {
      const request = await bufferRequest(input, init);
      for (const [name, value] of Object.entries(defaultHeaders)) if (!request.headers.has(name)) request.headers.set(name, value);
      return send(request);
    };
    const send = async (request: Request): Promise<Response> => {
      const ctx: RequestContext = { ...runtime, attempt: 1, idempotent: options.idempotent ?? IDEMPOTENT_METHODS.has(request.method) };
      if (!options.onEvent) return pipeline(request, ctx); // the hot path builds no event it would drop
      const started = Date.now();
      let status: number | undefined;
      try {
        const response = await pipeline(request, ctx);
        status = response.status;
        return response;
      } finally {
        emit({ type: "request.finished", provider, method: request.method, path: describePath(request.url), status, durationMs: Date.now() - started, attempts: ctx.attempt });
      }
    };

    const client = createClient<Paths>({
      baseUrl,
      headers: defaultHeaders,
      fetch: (async (input: Request) => send(await bufferRequest(input))) as ClientOptions["fetch"],
    }) as ProviderClient<Paths>;

    Object.assign(client, {
      provider,
      baseUrl,
      runtime,
      auth: options.auth,
      fetch: pipelineFetch,
      withOptions(overrides: RequestOverrides) {
        return build({ ...options, ...overrides, headers: { ...options.headers, ...overrides.headers } });
      },
      async unwrap<T>(result: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
        const { data, error, response } = await result;
        if (response.ok) return data as T;
        throw apiErrorFor(provider, response, error, options.describeError, options.secrets);
      },
      async revoke() {
        await options.auth?.revoke?.(runtime);
      },
    });
    return Object.assign(client, options.extend?.(client)) as ProviderClient<Paths, Extras>;
  };
  return build(options);
}

/** The `ApiError` for a provider's error response: status, provider code, message and request id. */
export function apiErrorFor(
  provider: string,
  response: Response,
  body: unknown,
  describeError?: ProviderClientOptions["describeError"],
  secrets: readonly string[] = [],
): ApiError {
  const details = describeError?.(body);
  const options = responseErrorOptions(provider, response, details?.code);
  options.requestId ??= response.headers.get("request-id") ?? details?.requestId;
  const method = (response as Response & { method?: string }).method;
  const where = response.url ? ` ${describePath(response.url)}` : "";
  const transient = response.status === 429 || response.status >= 500;
  return new ApiError(
    scrubSecrets(
      `${provider}${method ? ` ${method}` : ""}${where} failed with ${response.status}${details?.code ? ` ${details.code}` : ""}${details?.message ? `: ${details.message}` : ""}; ${transient ? "retry later" : "see error.body"}.`,
      secrets,
    ),
    { ...options, body: redactBody(body, secrets) },
  );
}

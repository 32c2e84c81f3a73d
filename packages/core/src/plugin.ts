import type { ResolvedCallOptions } from "./call-options.js";
import type { EventHandler, Logger } from "./events.js";
import type { Operation } from "./operation.js";
import type { PipelineRequest, PipelineRequestInit } from "./request.js";
import type { TokenCache } from "./token-cache.js";

/**
 * Sends the request to the rest of the pipeline and resolves with its response.
 *
 * `next` may be called more than once with the same request value: its body is already in
 * re-sendable form and nothing downstream changes it, so retries, a replay after a 401 and
 * re-signing all send the same bytes, with no buffering or cloning.
 */
export type Next = (request: PipelineRequest) => Promise<Response>;

/**
 * What a client gives its plugins outside any single call: enough for an auth plugin to
 * fetch, cache and revoke a token.
 */
export interface ClientRuntime {
  /** Provider name of the client, e.g. "sfs"; used in errors, events and cache keys. */
  readonly provider: string;
  readonly logger: Logger;
  readonly emit: EventHandler;
  readonly tokenCache: TokenCache;
  /**
   * The transport with timeout and retry but without auth or other plugins. An auth plugin
   * calls its token endpoint through it, so a token request never recurses into auth; a
   * provider sends requests that must not carry its credentials (an upload to a storage
   * URL) through it too. Every request sent this way is treated as safe to repeat.
   *
   * @example
   * const response = await runtime.plainFetch(tokenUrl, { method: "POST", body: new URLSearchParams(fields) });
   */
  readonly plainFetch: (url: string, init?: PipelineRequestInit) => Promise<Response>;
}

/**
 * What a middleware knows about the call it is handling. One context per call (not per
 * attempt), shared by every plugin of the pipeline.
 */
export interface RequestContext extends ClientRuntime {
  /** 1 for the first send, incremented by the retry plugin before each new attempt. */
  attempt: number;
  /**
   * Whether the request may be sent twice without harm. Starts from the HTTP method
   * (GET, HEAD, PUT, DELETE, OPTIONS) or the per-client `idempotent` option; a plugin that
   * knows better (SFS's `list` action is a POST that only reads) may set it to true.
   */
  idempotent: boolean;
  /**
   * Aborts the call: the caller's signal combined with the deadline, set by the timeout
   * plugin. The transport sends with it, and waits (retry backoff) end when it fires.
   */
  signal?: AbortSignal;
  /**
   * The credentials this call sent (header values the transport collected when an answer was
   * an error), scrubbed from that error's body and message with the client's `secrets`: they
   * include tokens fetched for this very call, which no option could have named.
   */
  secrets?: string[];
  /**
   * The spec operation of a typed call (`client.GET("/customers/{customer_id}", ...)`):
   * method, path template and operationId. `undefined` for calls outside the spec
   * (`client.fetch`, `plainFetch`), whose route no plugin should guess from the URL.
   */
  readonly operation: Operation | undefined;
  /**
   * The options given to this one call (`timeoutMs`, `retry`, `maxResponseBytes`, ...), checked; they win over the
   * client's. `undefined` for a call without options.
   */
  readonly call: ResolvedCallOptions | undefined;
}

/**
 * A middleware: takes the request, calls `next` zero or more times, returns a response. It never
 * changes the request it was given; it passes a new value to `next` instead (`withHeaders`).
 *
 * @example
 * const addTrace = definePlugin({
 *   name: "trace",
 *   middleware: (request, next) => next(withHeaders(request, { "x-trace": crypto.randomUUID() })),
 * });
 */
export type Middleware = (request: PipelineRequest, next: Next, ctx: RequestContext) => Promise<Response>;

export interface Plugin {
  /** Shown in logs and errors; unique within one client. */
  readonly name: string;
  readonly middleware: Middleware;
}

/**
 * An auth plugin is a plugin that owns a credential. Its middleware adds the credential
 * to each request (and recovers from a rejected token); these methods let the
 * application manage the credential directly.
 */
export interface AuthPlugin extends Plugin {
  /** The credential kind, e.g. "headers", "client_token", "user_token". */
  readonly kind: string;
  /**
   * Returns the credential's request headers (fetching and caching a token if needed).
   * Useful to authorize a request sent outside the client, e.g. a file download.
   */
  authorize(runtime: ClientRuntime): Promise<Record<string, string>>;
  /**
   * Drops the cached credential so the next request obtains a new one; with
   * `rejectedAccessToken`, only if the cached one is still that token (compare and delete).
   */
  invalidate?(runtime: ClientRuntime, rejectedAccessToken?: string): Promise<void>;
  /** Revokes the credential at the provider (if it can) and drops it from the cache. */
  revoke?(runtime: ClientRuntime): Promise<void>;
}

/** Identity helper that gives a plugin literal its type. */
export function definePlugin<P extends Plugin>(plugin: P): P {
  return plugin;
}

/** Identity helper that gives an auth plugin literal its type. */
export function defineAuthPlugin<P extends AuthPlugin>(plugin: P): P {
  return plugin;
}

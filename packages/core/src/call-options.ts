import { checkLimits, mergeHeaders, resolveRetryOptions, type ResolvedRetryOptions } from "./options.js";
import type { RetryOptions } from "./retry.js";
import { optionError, requireKind } from "./security.js";

/**
 * Options for one call, the last argument of every operation method and path-style call:
 * `finapi.transactions.list({ view: "bankView" }, { timeoutMs: 5_000 })`,
 * `client.GET("/accounts", {}, { signal })`. They win over the client's for that call only;
 * `withOptions` remains for a lasting change.
 */
export interface CallOptions {
  /** Limit for this call, retries and the reading of the answer included. */
  timeoutMs?: number;
  /** Retry policy of this call, or `false` for a single attempt. */
  retry?: RetryOptions | false;
  /** Aborts the call (an `AbortError`), its retries and waits included. */
  signal?: AbortSignal;
  /** Headers for this call, over the client's. */
  headers?: Record<string, string>;
  /** This call is safe to send twice (a POST with an idempotency key), or is not. */
  idempotent?: boolean;
  /** Largest answer body accepted for this call, in bytes. */
  maxResponseBytes?: number;
}

/** Call options checked, with their retry policy resolved: what the pipeline reads from `ctx.call`. */
export interface ResolvedCallOptions extends Omit<CallOptions, "retry"> {
  readonly retry?: ResolvedRetryOptions | false;
}

/**
 * Checks one call's options (a `ConfigurationError` naming `options.<field>`, before anything is
 * sent) and resolves the retry policy. `undefined` stays `undefined`: a call without options
 * allocates nothing.
 */
export function resolveCallOptions(
  options: CallOptions | undefined,
  provider: string,
): ResolvedCallOptions | undefined {
  if (options === undefined) return undefined;
  requireKind(options, "object", "options", provider);
  const { timeoutMs, retry, signal, headers, idempotent, maxResponseBytes } = options;
  checkLimits(timeoutMs, maxResponseBytes, "options.", provider);
  if (signal !== undefined && !(signal instanceof AbortSignal))
    throw optionError("options.signal", "must be an AbortSignal.", provider);
  if (idempotent !== undefined && typeof idempotent !== "boolean")
    throw optionError("options.idempotent", "must be true or false.", provider);
  return {
    ...options,
    retry: retry === undefined || retry === false ? retry : resolveRetryOptions(retry, provider),
    headers: headers === undefined ? undefined : mergeHeaders(undefined, headers, provider),
  };
}

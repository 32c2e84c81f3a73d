import { NetworkError } from "./errors.js";
import type { Plugin } from "./plugin.js";
import { discardBody } from "./body.js";
import { resolveRetryOptions } from "./options.js";
import { optionError } from "./security.js";
import { describeRoute } from "./redact.js";

export interface RetryOptions {
  /** Retries after the first attempt. Default 2. */
  retries?: number;
  /** Base of the exponential backoff. Default 250. */
  minDelayMs?: number;
  /** Upper bound of any wait, `Retry-After` included. Default 8 000. */
  maxDelayMs?: number;
  /**
   * Statuses worth another attempt. Default 408, 429, 500, 502, 503, 504: transient by
   * definition. 501, 510 (finAPI's "additional authentication required") and every 4xx
   * but 408/429 would fail the same way again.
   */
  statuses?: readonly number[];
}

/** Methods that HTTP defines as safe to repeat. Others need `ctx.idempotent` set by the caller. */
export const IDEMPOTENT_METHODS: ReadonlySet<string> = new Set(["GET", "HEAD", "PUT", "DELETE", "OPTIONS"]);

/** What `retry: false` means: a single attempt. */
const NO_RETRIES = { retries: 0, minDelayMs: 0, maxDelayMs: 0, statuses: [] };

/**
 * Retries network errors and transient statuses with exponential backoff and full jitter,
 * honouring `Retry-After`, for idempotent requests only: a POST that created something must
 * not be sent twice unless the caller says it is safe. A call's own `retry` option (`ctx.call`)
 * wins over the client's policy.
 */
export function retryPlugin(options?: RetryOptions | false): Plugin {
  const policy = options === false ? NO_RETRIES : resolveRetryOptions(options);
  const clientStatuses = new Set(policy.statuses);

  return {
    name: "retry",
    async middleware(request, next, ctx) {
      const own = ctx.call?.retry;
      const { retries, minDelayMs, maxDelayMs } = own === false ? NO_RETRIES : (own ?? policy);
      const statuses = own ? new Set(own.statuses) : clientStatuses;
      for (let attempt = 1; ; attempt++) {
        ctx.attempt = attempt;
        if (attempt > retries) return next(request);
        // `ctx.idempotent` is read after the attempt: a plugin inside may have set it.
        let response: Response | undefined;
        try {
          response = await next(request);
          if (!statuses.has(response.status) || !ctx.idempotent) return response;
        } catch (error) {
          if (!(error instanceof NetworkError) || !ctx.idempotent) throw error; // only a request that got no answer
        }
        const delayMs = retryDelay(attempt, response, minDelayMs, maxDelayMs);
        ctx.emit({
          type: "request.retry",
          provider: ctx.provider,
          method: request.method,
          path: describeRoute(request.url, ctx.operation),
          attempt,
          delayMs,
          reason: response ? `status ${response.status}` : "network",
        });
        await discardBody(response); // free the connection before waiting
        await sleep(delayMs, ctx.signal ?? request.signal);
      }
    },
  };
}

/** Full jitter (AWS's recommendation) spreads a fleet's retries; `Retry-After` wins when given. */
export function retryDelay(
  attempt: number,
  response: Response | undefined,
  minDelayMs: number,
  maxDelayMs: number,
): number {
  if (![attempt, minDelayMs, maxDelayMs].every((n) => typeof n === "number"))
    throw optionError("retryDelay(attempt, response, minDelayMs, maxDelayMs)", "takes numbers of attempts and ms.");
  const retryAfter = response instanceof Response ? parseRetryAfter(response.headers.get("retry-after")) : undefined;
  if (retryAfter !== undefined) return Math.min(retryAfter, maxDelayMs);
  const ceiling = Math.min(maxDelayMs, minDelayMs * 2 ** (attempt - 1));
  return Math.round(Math.random() * ceiling);
}

/** `Retry-After` is either delta-seconds or an HTTP date. */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | undefined {
  const trimmed = typeof value === "string" ? value.trim() : undefined;
  if (!trimmed) return undefined;
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    // Runs once: on the timer or on abort, whichever comes first.
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      if (signal?.aborted) reject(signal.reason);
      else resolve();
    };
    const timer = setTimeout(done, ms);
    if (signal?.aborted) done();
    else signal?.addEventListener("abort", done);
  });
}

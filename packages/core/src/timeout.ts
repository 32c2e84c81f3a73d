import { AbortError, TimeoutError } from "./errors.js";
import type { Plugin } from "./plugin.js";
import { describePath } from "./redact.js";

/**
 * Bounds a whole call, retries and their waits included, to `timeoutMs`, and turns both
 * kinds of abort into typed errors: our deadline into `TimeoutError`, the caller's own
 * `AbortSignal` into `AbortError`.
 */
export function timeoutPlugin(timeoutMs: number): Plugin {
  return {
    name: "timeout",
    async middleware(request, next, ctx) {
      const deadline = new AbortController();
      const timeoutError = new TimeoutError(
        `${request.method} ${describePath(request.url)} took longer than ${timeoutMs} ms; raise timeoutMs or check the provider's status.`,
        { provider: ctx.provider, code: "TIMEOUT", timeoutMs },
      );
      const timer = setTimeout(() => deadline.abort(timeoutError), timeoutMs);
      const callerSignal = request.signal;
      try {
        return await next(new Request(request, { signal: AbortSignal.any([callerSignal, deadline.signal]) }));
      } catch (error) {
        if (deadline.signal.aborted) throw timeoutError;
        if (callerSignal.aborted) {
          throw new AbortError(`${request.method} ${describePath(request.url)} was aborted by the caller's signal.`, { provider: ctx.provider, code: "ABORTED", cause: callerSignal.reason });
        }
        throw error;
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

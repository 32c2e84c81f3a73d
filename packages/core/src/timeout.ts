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
      const deadline = AbortSignal.timeout(timeoutMs);
      const callerSignal = request.signal;
      ctx.signal = AbortSignal.any([callerSignal, deadline]);
      try {
        return await next(request);
      } catch (error) {
        const call = `${request.method} ${describePath(request.url)}`;
        if (callerSignal.aborted) throw new AbortError(`${call} was aborted by the caller.`, { provider: ctx.provider, code: "ABORTED", cause: callerSignal.reason });
        if (deadline.aborted) throw new TimeoutError(`${call} timed out after ${timeoutMs} ms; raise timeoutMs.`, { provider: ctx.provider, code: "TIMEOUT", timeoutMs });
        throw error;
      }
    },
  };
}

import { AbortError, TimeoutError } from "./errors.js";
import type { Plugin } from "./plugin.js";
import { describeRoute } from "./redact.js";

/**
 * Bounds a whole call, retries and their waits included, until the response headers arrive,
 * to `timeoutMs`, and turns both kinds of abort into typed errors: our deadline into
 * `TimeoutError`, the caller's own `AbortSignal` into `AbortError`.
 *
 * One controller and one timer per call, and a listener only when the caller passed a signal:
 * `AbortSignal.timeout` plus `AbortSignal.any` cost three signals a call, a measurable share
 * of a loopback request.
 */
export function timeoutPlugin(timeoutMs: number): Plugin {
  return {
    name: "timeout",
    async middleware(request, next, ctx) {
      const controller = new AbortController();
      const callerSignal = request.signal;
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        controller.abort();
      }, timeoutMs);
      const onCallerAbort = callerSignal && (() => controller.abort(callerSignal.reason));
      if (callerSignal?.aborted) controller.abort(callerSignal.reason);
      else if (onCallerAbort) callerSignal.addEventListener("abort", onCallerAbort, { once: true });
      ctx.signal = controller.signal;
      try {
        return await next(request);
      } catch (error) {
        const call = `${request.method} ${describeRoute(request.url, ctx.operation)}`;
        if (callerSignal?.aborted)
          throw new AbortError(`${call} was aborted by the caller.`, {
            provider: ctx.provider,
            code: "ABORTED",
            cause: callerSignal.reason,
          });
        if (timedOut)
          throw new TimeoutError(`${call} timed out after ${timeoutMs} ms; raise timeoutMs.`, {
            provider: ctx.provider,
            code: "TIMEOUT",
            timeoutMs,
          });
        throw error;
      } finally {
        clearTimeout(timer);
        if (onCallerAbort) callerSignal.removeEventListener("abort", onCallerAbort);
      }
    },
  };
}

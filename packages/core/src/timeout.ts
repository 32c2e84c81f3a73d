import { boundBody, type BoundedResponse } from "./bounded-body.js";
import { discardBody } from "./body.js";
import { AbortError, NetworkError, ResponseTooLargeError, TimeoutError, isXError } from "./errors.js";
import type { Plugin } from "./plugin.js";
import { describeRoute } from "./redact.js";

/** Default `maxResponseBytes`: far above any API answer, low enough that a runaway body cannot exhaust memory. */
export const DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024 * 1024;

/**
 * Bounds a whole call to `timeoutMs`: retries and their waits, token fetches, and the reading of
 * the response body, success or error, since a server may send headers and then trickle or never
 * end the body. Turns both kinds of abort into typed errors: our deadline into `TimeoutError`,
 * the caller's own `AbortSignal` into `AbortError`. A body larger than `maxResponseBytes` is a
 * `ResponseTooLargeError`.
 *
 * One controller and one timer per call, and a listener only when the caller passed a signal:
 * `AbortSignal.timeout` plus `AbortSignal.any` cost three signals a call, a measurable share
 * of a loopback request.
 */
export function timeoutPlugin(clientTimeoutMs: number, clientMaxResponseBytes = DEFAULT_MAX_RESPONSE_BYTES): Plugin {
  return {
    name: "timeout",
    async middleware(request, next, ctx) {
      const timeoutMs = ctx.call?.timeoutMs ?? clientTimeoutMs;
      const maxResponseBytes = ctx.call?.maxResponseBytes ?? clientMaxResponseBytes;
      const controller = new AbortController();
      const callerSignal = request.signal;
      let timedOut = false;
      let bounded: BoundedResponse | undefined;
      const call = () => `${request.method} ${describeRoute(request.url, ctx.operation)}`;
      // What an interrupted send or body read becomes: the caller's abort, our deadline, or a dropped connection.
      const failure = (error: unknown, reading = bounded !== undefined): unknown => {
        if (callerSignal?.aborted)
          return new AbortError(`${call()} was aborted by the caller.`, {
            provider: ctx.provider,
            code: "ABORTED",
            cause: callerSignal.reason,
          });
        if (timedOut)
          return new TimeoutError(`${call()} timed out after ${timeoutMs} ms; raise timeoutMs.`, {
            provider: ctx.provider,
            code: "TIMEOUT",
            timeoutMs,
          });
        if (reading && !isXError(error))
          return new NetworkError(`${call()}: the connection dropped while the answer was read; retry later.`, {
            provider: ctx.provider,
            code: "NETWORK_ERROR",
            cause: error,
          });
        return error;
      };
      const onCallerAbort = callerSignal && (() => abort(callerSignal.reason));
      const abort = (reason?: unknown) => {
        controller.abort(reason);
        bounded?.fail(failure(reason));
      };
      const timer = setTimeout(() => {
        timedOut = true;
        abort();
      }, timeoutMs);
      const release = () => {
        clearTimeout(timer);
        if (onCallerAbort) callerSignal.removeEventListener("abort", onCallerAbort);
      };
      if (callerSignal?.aborted) controller.abort(callerSignal.reason);
      else if (onCallerAbort) callerSignal.addEventListener("abort", onCallerAbort, { once: true });
      ctx.signal = controller.signal;
      let response: Response;
      try {
        response = await next(request);
        // An answer that arrived as the deadline passed (a plugin that did not watch the signal) is late all the same.
        if (controller.signal.aborted) throw controller.signal.reason;
      } catch (error) {
        release();
        throw failure(error);
      }
      if (!response.body || response.headers.get("content-length") === "0") {
        release();
        return response;
      }
      const length = Number(response.headers.get("content-length") ?? NaN);
      if (length > maxResponseBytes) {
        release();
        void discardBody(response);
        throw tooLarge(call(), ctx.provider, maxResponseBytes);
      }
      // The common answer, a 2xx of announced length sent as is, keeps its own body: the call's signal (on the
      // fetch) already cuts it at the deadline and Content-Length bounds it, so its readers only release the timer
      // and type the error when done. A compressed body is counted: its decoded size is not announced (a zip bomb).
      if (response.ok && length <= maxResponseBytes && !response.headers.has("content-encoding")) {
        for (const read of READERS)
          Object.defineProperty(response, read, {
            value: () =>
              (Response.prototype as unknown as Record<string, () => Promise<unknown>>)[read]!.call(response).then(
                (value: unknown) => (release(), value),
                (error: unknown) => {
                  release();
                  throw failure(error, true);
                },
              ),
          });
        (timer as { unref?: () => void }).unref?.(); // a stream reader's body ends at the deadline at the latest
        return response;
      }
      // The body is still to come: the deadline keeps running until it is read, but no longer keeps the
      // process alive on its own (a caller who never reads a body must not delay the exit by timeoutMs).
      (timer as { unref?: () => void }).unref?.();
      bounded = boundBody(response, {
        maxBytes: maxResponseBytes,
        onEnd: release,
        failure,
        tooLarge: () => tooLarge(call(), ctx.provider, maxResponseBytes),
      });
      return bounded.response;
    },
  };
}

/** The body readers of a Response (`bytes` is newer than Node 20). */
const READERS = ["json", "text", "arrayBuffer", "blob", "bytes", "formData"].filter(
  (read) => read in Response.prototype,
);

function tooLarge(call: string, provider: string, maxResponseBytes: number): ResponseTooLargeError {
  return new ResponseTooLargeError(
    `${call}: the answer is larger than maxResponseBytes (${maxResponseBytes}); ` +
      `raise maxResponseBytes if it is expected.`,
    { provider, code: "RESPONSE_TOO_LARGE", maxResponseBytes },
  );
}

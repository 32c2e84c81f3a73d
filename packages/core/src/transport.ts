import { NetworkError } from "./errors.js";
import type { Dispatch } from "./pipeline.js";
import { describeUrl } from "./redact.js";

/**
 * The last link of every pipeline, and the only place a request value becomes a `fetch` call:
 * `fetch(url, init)` builds the one WHATWG `Request` of the call. A transport failure (refused,
 * reset, DNS) becomes a `NetworkError` that the retry plugin recognises; an abort is passed
 * through untouched, since the timeout plugin decides what it means.
 */
export function createTransport(fetchImpl: typeof fetch, provider: string): Dispatch {
  return async (request, ctx) => {
    const signal = ctx.signal ?? request.signal;
    try {
      return await fetchImpl(request.url, {
        method: request.method,
        headers: request.headers,
        body: request.body as BodyInit | null,
        signal,
      });
    } catch (error) {
      if (signal?.aborted) throw signal.reason ?? error;
      // Node's fetch puts the system error code (ECONNREFUSED, ENOTFOUND) on `cause`.
      const code = (error as { cause?: { code?: unknown } } | undefined)?.cause?.code;
      throw new NetworkError(
        `Could not reach ${describeUrl(request.url)}${typeof code === "string" ? ` (${code})` : ""}; ` +
          `check the URL and the network.`,
        {
          provider,
          code: "NETWORK_ERROR",
          cause: error,
        },
      );
    }
  };
}

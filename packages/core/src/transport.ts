import { NetworkError } from "./errors.js";
import type { RequestContext } from "./plugin.js";
import { describeUrl } from "./redact.js";

/**
 * The last link of every pipeline: sends with the configured `fetch` and turns a transport
 * failure (refused, reset, DNS) into a `NetworkError` that the retry plugin recognises.
 * An abort is passed through untouched: the timeout plugin decides what it means.
 */
export function createTransport(fetchImpl: typeof fetch, provider: string): (request: Request, ctx: RequestContext) => Promise<Response> {
  return async (request, ctx) => {
    const signal = ctx.signal ?? request.signal;
    try {
      // Passing the signal in init costs nothing: fetch builds its own Request from ours anyway.
      return await fetchImpl(request, { signal });
    } catch (error) {
      if (signal.aborted) throw signal.reason ?? error;
      // Node's fetch puts the system error code (ECONNREFUSED, ENOTFOUND) on `cause`.
      const code = (error as { cause?: { code?: unknown } } | undefined)?.cause?.code;
      throw new NetworkError(`Could not reach ${describeUrl(request.url)}${typeof code === "string" ? ` (${code})` : ""}; check the URL and the network.`, {
        provider,
        code: "NETWORK_ERROR",
        cause: error,
      });
    }
  };
}

import { NetworkError } from "./errors.js";
import type { Next } from "./plugin.js";
import { describeUrl } from "./redact.js";

/**
 * The last link of every pipeline: sends with the configured `fetch` and turns a transport
 * failure (refused, reset, DNS) into a `NetworkError` that the retry plugin recognises.
 * An abort is passed through untouched: the timeout plugin decides what it means.
 */
export function createTransport(fetchImpl: (request: Request) => Promise<Response>, provider: string): Next {
  return async (request) => {
    try {
      return await fetchImpl(request);
    } catch (error) {
      if (request.signal.aborted) throw request.signal.reason ?? error;
      const detail = networkErrorCode(error);
      throw new NetworkError(
        `Could not reach ${describeUrl(request.url)}${detail ? ` (${detail})` : ""}; check the base URL and the network, then retry.`,
        { provider, code: "NETWORK_ERROR", cause: error },
      );
    }
  };
}

function networkErrorCode(error: unknown): string | undefined {
  const cause = (error as { cause?: { code?: unknown } } | undefined)?.cause;
  return typeof cause?.code === "string" ? cause.code : undefined;
}

import { ConfigurationError, NetworkError, RedirectError } from "./errors.js";
import type { Dispatch } from "./pipeline.js";
import type { RequestContext } from "./plugin.js";
import { SECRET_NAME, describeUrl } from "./redact.js";
import type { PipelineRequest } from "./request.js";

/**
 * A `.` or `..` path segment, also percent-encoded (`%2e`): URL parsing resolves it, so
 * `/customers/{id}` with id `..` would be sent to the parent resource.
 */
const DOT_SEGMENT = /\/(?:\.|%2e){1,2}(?=[/?#]|$)/i;

/**
 * The last link of every pipeline, and the only place a request value becomes a `fetch` call:
 * `fetch(url, init)` builds the one WHATWG `Request` of the call. A transport failure (refused,
 * reset, DNS) becomes a `NetworkError` that the retry plugin recognises; an abort is passed
 * through untouched, since the timeout plugin decides what it means.
 *
 * Redirects are never followed (`redirect: "manual"`): `fetch` would resend the credential
 * headers to the target, another origin or plain http included. A redirect is a `RedirectError`
 * naming the target. A URL with a dot segment is refused before it is sent.
 */
export function createTransport(fetchImpl: typeof fetch, provider: string): Dispatch {
  return async (request, ctx) => {
    if (DOT_SEGMENT.test(pathOf(request.url))) throw dotSegmentError(request, provider);
    const signal = ctx.signal ?? request.signal;
    let response: Response;
    try {
      response = await fetchImpl(request.url, {
        method: request.method,
        headers: request.headers,
        body: request.body as BodyInit | null,
        signal,
        redirect: "manual",
      });
    } catch (error) {
      if (signal?.aborted) throw signal.reason ?? error;
      // Node's fetch puts the system error code (ECONNREFUSED, ENOTFOUND) on `cause`.
      const code = (error as { cause?: { code?: unknown } } | undefined)?.cause?.code;
      throw new NetworkError(
        `Could not reach ${describeUrl(request.url)}${typeof code === "string" ? ` (${code})` : ""}; ` +
          `check the URL and the network.`,
        { provider, code: "NETWORK_ERROR", cause: error },
      );
    }
    if (response.ok) return response;
    const location = response.status >= 300 && response.status < 400 && response.headers.get("location");
    if (location) throw redirectError(request, response, location, provider);
    collectCredentials(request, ctx);
    return response;
  };
}

/** The URL up to its query or fragment, where a dot segment would move the call. */
function pathOf(url: string): string {
  const end = url.search(/[?#]/);
  return end === -1 ? url : url.slice(0, end);
}

function dotSegmentError(request: PipelineRequest, provider: string): ConfigurationError {
  return new ConfigurationError(
    `${request.method} ${describeUrl(request.url)}: a path parameter is "." or "..", which would send the call ` +
      `to another resource; pass the real id.`,
    { provider, code: "DOT_SEGMENT", option: "path" },
  );
}

function redirectError(request: PipelineRequest, response: Response, location: string, provider: string) {
  void response.body?.cancel().catch(() => {});
  // A relative Location is resolved against the request; the query string (tokens) is never shown.
  const shown = URL.canParse(location, request.url) ? describeUrl(new URL(location, request.url)) : "<invalid URL>";
  return new RedirectError(
    `${provider} redirected ${request.method} ${describeUrl(request.url)} (${response.status}) to ${shown}; ` +
      `redirects are not followed, since they would carry the credentials elsewhere: check baseUrl.`,
    {
      provider,
      status: response.status,
      code: "REDIRECTED",
      location: shown,
      requestId: response.headers.get("x-request-id") ?? undefined,
    },
  );
}

/** Records the credential header values of a request that got an error answer, to be scrubbed from it. */
function collectCredentials(request: PipelineRequest, ctx: RequestContext): void {
  request.headers.forEach((value, name) => {
    if (!SECRET_NAME.test(name)) return;
    const secrets = (ctx.secrets ??= []);
    secrets.push(value);
    // "Bearer <token>", "Basic <base64>": the credential alone may be echoed too.
    const space = value.indexOf(" ");
    if (space > 0) secrets.push(value.slice(space + 1));
  });
}

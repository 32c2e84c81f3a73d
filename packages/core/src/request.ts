import { optionError, requireKind } from "./security.js";

/**
 * A body the pipeline can send any number of times without buffering or cloning: every retry,
 * 401 replay and re-signing sends the same value. A `Blob` (a file upload) is kept as it came
 * and streamed by `fetch` on each send, never read into memory by the pipeline.
 */
export type RequestBody = string | Uint8Array | ArrayBuffer | URLSearchParams | FormData | Blob;

/**
 * The request every middleware sees: a plain value, not a WHATWG `Request`. Building or
 * cloning a `Request` costs more in Node than the rest of the pipeline, so only the transport
 * turns this value into `fetch(url, init)`.
 *
 * The contract: a request is never changed in place. A middleware that wants another header,
 * URL or body passes a new value to `next` (`withHeaders(request, {...})`, or
 * `{ ...request, url }`), and may call `next` again with the same value to re-send it.
 */
export interface PipelineRequest {
  /** Upper case, e.g. "POST". */
  readonly method: string;
  /** Absolute URL, query string included. */
  readonly url: string;
  /** Owned by this value: read it freely, change it only through `withHeaders`. */
  readonly headers: Headers;
  readonly body: RequestBody | null;
  /** The caller's own signal, if any. The deadline of the call is `ctx.signal`. */
  readonly signal?: AbortSignal | undefined;
}

/** `fetch`'s init, with a body limited to what can be re-sent as it is. */
export interface PipelineRequestInit {
  method?: string;
  headers?: HeadersInit;
  body?: RequestBody | null;
  signal?: AbortSignal | null;
}

/** A request value from a URL and fetch-like init. */
export function createRequest(url: string, init: PipelineRequestInit = {}): PipelineRequest {
  if (typeof url !== "string") throw optionError("url", "must be an absolute URL string.");
  requireKind(init, "object", "init");
  return {
    method: (init.method ?? "GET").toUpperCase(),
    url,
    headers: new Headers(init.headers),
    body: init.body ?? null,
    signal: init.signal ?? undefined,
  };
}

/**
 * A copy of `request` with `headers` set on a copy of its headers (a `null` value removes the
 * header). The original keeps its headers, so a middleware can re-send it unchanged.
 */
export function withHeaders(request: PipelineRequest, headers: Record<string, string | null>): PipelineRequest {
  if (!(requireKind(request, "object", "request").headers instanceof Headers))
    throw optionError("request.headers", "must be a Headers object (a request value from createRequest).");
  requireKind(headers, "object", "headers");
  const merged = new Headers(request.headers);
  for (const name in headers) {
    const value = headers[name];
    if (value === null || value === undefined) merged.delete(name);
    else {
      try {
        merged.set(name, value);
      } catch {
        // `fetch`'s TypeError quotes the value, which is usually a credential (a token with a line break).
        throw optionError(`headers.${name}`, "must be a valid header value, without line breaks or NUL characters.");
      }
    }
  }
  return { ...request, headers: merged };
}

/**
 * Turns what `fetch` accepts into a request value. A `Request` or a stream body is read once
 * into a `Blob` here, since a one-shot stream cannot be re-sent; every other body is kept.
 */
export async function toPipelineRequest(input: Request | string | URL, init?: RequestInit): Promise<PipelineRequest> {
  if (init !== undefined) requireKind(init, "object", "init");
  if (!(typeof input === "string" || input instanceof URL || input instanceof Request))
    throw optionError("input", "must be a URL string, a URL or a Request.");
  if (typeof input === "string" || input instanceof URL) {
    return createRequest(String(input), { ...init, body: await resendable(init?.body) } as PipelineRequestInit);
  }
  const request = init === undefined ? input : new Request(input, init);
  // The Request's own signal is the caller's (init's, merged in by the constructor, or the one it was built with).
  const body = request.body === null ? null : await request.blob();
  return createRequest(request.url, { method: request.method, headers: request.headers, body, signal: request.signal });
}

async function resendable(body: BodyInit | null | undefined): Promise<RequestBody | null> {
  if (body === undefined || body === null) return null;
  // A one-shot stream (or async iterable) is read once into a Blob; every other body is kept as it came.
  if (body instanceof ReadableStream || (typeof body === "object" && Symbol.asyncIterator in body))
    return new Response(body).blob();
  return ArrayBuffer.isView(body) && !(body instanceof Uint8Array)
    ? new Uint8Array(body.buffer, body.byteOffset, body.byteLength)
    : (body as RequestBody);
}

/**
 * The bytes of a body as `fetch` sends them, for signers. `FormData` has no bytes until it is
 * encoded with a boundary, so it is encoded here once, and the caller sends the returned
 * request: the encoded body and its `content-type`, so signature and body cannot disagree.
 */
export async function readBodyBytes(
  request: PipelineRequest,
): Promise<{ request: PipelineRequest; bytes: Uint8Array<ArrayBuffer> }> {
  const { body } = requireKind(request, "object", "request");
  if (body === null || body === undefined) return { request, bytes: new Uint8Array() };
  // `Response` encodes every body kind exactly as `fetch` does (strings as UTF-8, URLSearchParams, FormData).
  const encoded = new Response(body as BodyInit);
  const bytes = new Uint8Array(await encoded.arrayBuffer());
  if (!(body instanceof FormData)) return { request, bytes };
  return {
    request: { ...withHeaders(request, { "content-type": encoded.headers.get("content-type") }), body: bytes },
    bytes,
  };
}

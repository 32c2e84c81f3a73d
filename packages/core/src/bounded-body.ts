/** What `boundBody` reports to the timeout plugin that owns the call's deadline. */
export interface BodyBounds {
  /** Bytes the body may have; one more is a failure. */
  maxBytes: number;
  /** The body ended (read to the end, failed or cancelled): the call is over. */
  onEnd(): void;
  /** The error a failed read becomes (the source's error, or the error of the deadline that cut it). */
  failure(error: unknown): unknown;
  /** The error of a body that passed `maxBytes`. */
  tooLarge(): unknown;
}

/** A response whose body the call still bounds; `fail` ends it now with `error` (the deadline passed). */
export interface BoundedResponse {
  response: Response;
  fail(error: unknown): void;
}

/**
 * The response with a body that is read through a counter: past `maxBytes` it fails with
 * `tooLarge()` and the rest is not downloaded, and `fail` (the call's deadline) ends a pending
 * read at once, so an endless or trickling body can neither hang the reader nor grow the heap.
 * Whoever reads (openapi-fetch's `response.json()`, `readErrorBody`) gets these typed errors.
 */
export function boundBody(source: Response, bounds: BodyBounds): BoundedResponse {
  const reader = source.body!.getReader();
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  let ended = false;
  let received = 0;
  const end = (error?: unknown) => {
    if (ended) return;
    ended = true;
    bounds.onEnd();
    if (error === undefined) return;
    controller.error(error);
    reader.cancel().catch(() => {});
  };
  const body = new ReadableStream<Uint8Array>({
    start(c) {
      controller = c;
    },
    async pull(c) {
      try {
        const chunk = await reader.read();
        if (ended) return;
        if (chunk.done) {
          end();
          c.close();
        } else if ((received += chunk.value.byteLength) > bounds.maxBytes) end(bounds.tooLarge());
        else c.enqueue(chunk.value);
      } catch (error) {
        end(bounds.failure(error));
      }
    },
    cancel(reason) {
      end();
      return reader.cancel(reason);
    },
  });
  return { response: answer(body, source), fail: end };
}

/** A read body handed on as a response with the source's status, headers and `url` (callers name the path by it). */
export function answer(bytes: BodyInit, source: Response): Response {
  const response = new Response(bytes, source);
  Object.defineProperty(response, "url", { value: source.url });
  return response;
}

import type { Middleware, RequestContext } from "./plugin.js";

/**
 * Composes middlewares, outermost first, around a transport. The body of the incoming
 * request is buffered once, so every call of `next` can send it again: `next` hands the
 * rest of the chain a clone, and the caller keeps an unread copy for its next attempt.
 */
export function composeMiddlewares(
  middlewares: readonly Middleware[],
  transport: (request: Request, ctx: RequestContext) => Promise<Response>,
): (request: Request, ctx: RequestContext) => Promise<Response> {
  return (request, ctx) => {
    const dispatch = (index: number, current: Request): Promise<Response> => {
      const middleware = middlewares[index];
      if (!middleware) return transport(current, ctx);
      return middleware(current, (nextRequest) => dispatch(index + 1, nextRequest.body ? nextRequest.clone() : nextRequest), ctx);
    };
    return dispatch(0, request);
  };
}

/**
 * Returns a request whose body is an in-memory buffer instead of a one-shot stream, so it
 * can be cloned and re-sent byte for byte. A streamed upload is read to the end here, once:
 * re-sending requires having the bytes, and the providers' payloads are small.
 */
export async function bufferRequest(input: Request | string | URL, init?: RequestInit): Promise<Request> {
  const request = input instanceof Request && init === undefined ? input : new Request(input, init);
  if (request.body === null) return request;
  const body = await request.arrayBuffer();
  return new Request(request.url, {
    method: request.method,
    headers: request.headers,
    body,
    signal: request.signal,
    redirect: request.redirect,
  });
}

/** Frees the connection of a response whose body will not be read. */
export function discardBody(response: Response | undefined): Promise<void> | undefined {
  return response?.body?.cancel().catch(() => {});
}

import { definePlugin, type Plugin, type RequestContext } from "@x/core";

/**
 * Sends an `X-Request-Id` on every request, so a failed call can be found in finAPI's logs by
 * the id the SDK puts on its errors. A caller's own id (client `headers`, per-request header)
 * is kept. One id per call: retries and the replay after a refused token carry the same id,
 * so finAPI support sees every attempt of one operation under one id.
 */
export function requestIdPlugin(): Plugin {
  const ids = new WeakMap<RequestContext, string>();
  return definePlugin({
    name: "finapi-request-id",
    middleware(request, next, ctx) {
      if (!request.headers.has("x-request-id")) {
        let id = ids.get(ctx);
        if (id === undefined) {
          id = crypto.randomUUID();
          ids.set(ctx, id);
        }
        request.headers.set("x-request-id", id);
      }
      return next(request);
    },
  });
}

import { definePlugin, withHeaders, type Plugin, type RequestContext } from "@x/core";

/**
 * Sends an `X-Request-Id` on every request, so a failed call can be found in finAPI's logs by
 * the id the SDK puts on its errors. A caller's own id (client `headers`, per-request header)
 * is kept. One id per call: retries and the replay after a refused token carry the same id,
 * so finAPI support sees every attempt of one operation under one id.
 */
export function requestIdPlugin(): Plugin {
  // Keyed by the call's context, not by the request value: a plugin outside this one may pass
  // a new value on each retry, and the id must still stay the same. The 401 replay happens in
  // the auth plugin, inside this one, and re-sends the value that already carries the id.
  const ids = new WeakMap<RequestContext, string>();
  return definePlugin({
    name: "finapi-request-id",
    middleware(request, next, ctx) {
      if (request.headers.has("x-request-id")) return next(request);
      let id = ids.get(ctx);
      if (id === undefined) {
        id = crypto.randomUUID();
        ids.set(ctx, id);
      }
      return next(withHeaders(request, { "x-request-id": id }));
    },
  });
}

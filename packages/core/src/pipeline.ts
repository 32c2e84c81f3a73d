import { optionError, requireKind } from "./security.js";
import type { Middleware, RequestContext } from "./plugin.js";
import type { PipelineRequest } from "./request.js";

/** A composed pipeline, or its last link: sends one request value for one call. */
export type Dispatch = (request: PipelineRequest, ctx: RequestContext) => Promise<Response>;

/**
 * Composes middlewares, outermost first, around a transport. Request values are never changed
 * in place, so `next` hands on the value it is given: no copy, no clone, whatever the body.
 */
export function composeMiddlewares(middlewares: readonly Middleware[], transport: Dispatch): Dispatch {
  if (!Array.isArray(middlewares as unknown) || !middlewares.every((m) => typeof m === "function"))
    throw optionError("middlewares", "must be an array of middleware functions.");
  requireKind(transport, "function", "transport");
  return middlewares.reduceRight<Dispatch>(
    (inner, middleware) => (request, ctx) => middleware(request, (next) => inner(next, ctx), ctx),
    transport,
  );
}

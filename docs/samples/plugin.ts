import { createProviderClient, definePlugin, withHeaders, type RequestContext } from "@x/core";
import type { paths } from "./generated/schema.js";

/** One id per call: `ctx` is one per call, while each attempt starts again from the caller's request value. */
const ids = new WeakMap<RequestContext, string>();

/**
 * Tags every call with one correlation id. Plugins run inside the retry plugin, once per attempt, and never change
 * the request they were given: they pass `next` a new value. So the id is kept per call (keyed by its context), and
 * the retried attempt carries the same id as the first: the provider sees one id per call.
 */
export const correlationId = definePlugin({
  name: "correlation-id",
  async middleware(request, next, ctx) {
    const id = request.headers.get("x-correlation-id") ?? ids.get(ctx) ?? crypto.randomUUID();
    ids.set(ctx, id);
    ctx.logger.debug("sending", { attempt: ctx.attempt });
    return next(withHeaders(request, { "x-correlation-id": id }));
  },
});

export async function example(baseUrl: string): Promise<number> {
  const client = createProviderClient<paths>({
    provider: "acme",
    baseUrl,
    plugins: [correlationId],
    retry: { retries: 2, minDelayMs: 10 },
  });
  const { response } = await client.GET("/accounts");
  return response.status;
}

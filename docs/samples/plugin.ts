import { createProviderClient, definePlugin } from "@x/core";
import type { paths } from "./generated/schema.js";

/**
 * Tags every call with one correlation id. Plugins run inside the retry plugin, once per attempt, on the same
 * request: the header set on the first attempt is still there on the retry, so the provider sees one id per call.
 */
export const correlationId = definePlugin({
  name: "correlation-id",
  async middleware(request, next, ctx) {
    if (!request.headers.has("x-correlation-id")) request.headers.set("x-correlation-id", crypto.randomUUID());
    ctx.logger.debug("sending", { attempt: ctx.attempt });
    return next(request);
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

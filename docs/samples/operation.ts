import { definePlugin, describeRoute } from "@x/core";
import { createAcmeClient } from "./static-headers.js";

/**
 * Counts sends and failures per operation, for a dashboard. `ctx.operation` is the spec operation of a typed call:
 * its operationId and path template come from the spec, never from the ids in the URL, so no regular expression
 * guesses the route. A call through `client.fetch` is outside the spec and has none: it is counted by its URL's path.
 */
export function operationMetrics() {
  const counts = new Map<string, { sends: number; failures: number }>();
  const plugin = definePlugin({
    name: "operation-metrics",
    async middleware(request, next, ctx) {
      const name = ctx.operation?.operationId ?? `${request.method} ${describeRoute(request.url, ctx.operation)}`;
      const count = counts.get(name) ?? { sends: 0, failures: 0 };
      counts.set(name, count);
      count.sends++;
      const response = await next(request);
      if (!response.ok) count.failures++;
      return response;
    },
  });
  return { plugin, counts };
}

export async function example(baseUrl: string): Promise<Record<string, { sends: number; failures: number }>> {
  const metrics = operationMetrics();
  // createAcmeClient passes the generated `operations` table, which gives each typed call its operationId.
  const acme = createAcmeClient({ apiKey: "demo-key", baseUrl, plugins: [metrics.plugin] });
  await acme.GET("/accounts");
  for (const entryId of ["ent-1", "ent-2"]) await acme.GET("/entries/{entryId}", { params: { path: { entryId } } });
  await acme.fetch(`${baseUrl}/health`);
  return Object.fromEntries(metrics.counts);
}

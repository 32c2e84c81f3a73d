// What @x/october adds over a raw round trip (compare with sandbox.bench.mjs): one typed call through the
// pipeline, and the whole three-step media upload (create draft, PUT to storage via plainFetch, set online).
import { createOctoberClient } from "@x/october";
import { startSandbox } from "@x/sandbox";
import { measure } from "./lib.mjs";

export default async function () {
  const sandbox = await startSandbox({ providers: ["october"] });
  const { userId, sessionToken } = sandbox.provider("october").demoCredentials;
  const client = createOctoberClient({ userId, sessionToken, baseUrl: sandbox.urls.october });
  try {
    const { request } = await client.unwrap(
      client.POST("/requests", { body: { code: { type: "kvk", id: "12345678" } } }),
    );
    const small = new Blob([new Uint8Array(64 * 1024)], { type: "application/pdf" });
    const large = new Blob([new Uint8Array(5 * 1024 * 1024)], { type: "application/pdf" });
    return [
      await measure("typed GET /requests/{id}", () =>
        client.unwrap(client.GET("/requests/{id}", { params: { path: { id: request.id } } })),
      ),
      await measure("uploadMedium 64 KB (3 requests)", () => client.uploadMedium(request.id, small, { name: "other" })),
      await measure("uploadMedium 5 MB (3 requests)", () => client.uploadMedium(request.id, large, { name: "other" }), {
        iterations: 20,
        warmup: 3,
      }),
    ];
  } finally {
    await sandbox.close();
  }
}

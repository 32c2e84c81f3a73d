// @ts-check
// Runs inside the runtime under test: @x/token-store-redis as a fleet uses it. Two app instances (two token caches
// over two ioredis connections, as two containers would have) call the sandbox's echo emulator at once through one
// Redis token store; the fleet must fetch one token, not two. Mirrors examples/aggregator/src/flows/fleet.ts.
// ioredis speaks Redis over a TCP socket (node:net), so this runs where node:net does: Node, Bun, Deno.
import { bearerTokenAuth, createProviderClient, createTokenCache } from "@x/core";
import { redisTokenStore } from "@x/token-store-redis";
import { Redis } from "ioredis";

/** @param {{ redisUrl: string, echo: { url: string, credentials: Record<string, string> } }} config */
export async function runFleet({ redisUrl, echo }) {
  const prefix = `runtime-test:${crypto.randomUUID()}:`;
  const instances = [instance(redisUrl, prefix, echo), instance(redisUrl, prefix, echo)];
  try {
    await Promise.all(
      instances.flatMap(({ client, counts }) =>
        Array.from({ length: 5 }, async () => {
          const response = await client.fetch(`${echo.url}/echo`, { method: "POST", body: "hi" });
          if (!response.ok) throw new Error(`echo failed with ${response.status}`);
          await response.body?.cancel();
          counts.calls++;
        }),
      ),
    );
    return instances.map(({ counts }) => ({ ...counts }));
  } finally {
    await Promise.all(instances.map((i) => i.close()));
  }
}

/**
 * @param {string} redisUrl
 * @param {string} prefix
 * @param {{ url: string, credentials: Record<string, string> }} echo
 */
function instance(redisUrl, prefix, { url, credentials }) {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
  // The store's 250 ms command timeout treats a slow Redis as an outage and lets each instance fetch its own token,
  // by design; on a loaded CI machine that would test the machine's load, not the runtime, so it is raised here.
  const store = redisTokenStore({ client: redis, prefix, commandTimeoutMs: 5_000 });
  const counts = { calls: 0, fetched: 0 };
  const auth = bearerTokenAuth({
    kind: "access_token",
    identity: [url, credentials.clientId ?? ""],
    async fetchToken(runtime) {
      const body = new URLSearchParams({
        grant_type: "client_credentials",
        client_id: credentials.clientId ?? "",
        client_secret: credentials.clientSecret ?? "",
      });
      const response = await runtime.plainFetch(`${url}/oauth/token`, { method: "POST", body });
      if (!response.ok) throw new Error(`token request failed with ${response.status}`);
      const token = /** @type {{ access_token: string, expires_in: number }} */ (await response.json());
      return { accessToken: token.access_token, expiresInMs: token.expires_in * 1000 };
    },
  });
  const client = createProviderClient({
    provider: "echo",
    baseUrl: url,
    auth,
    tokenCache: createTokenCache({ store }),
    onEvent: (event) => void (event.type === "token.fetched" && counts.fetched++),
  });
  return { client, counts, close: async () => (await store.close(), redis.disconnect()) };
}

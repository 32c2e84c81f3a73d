import { bearerTokenAuth, createProviderClient, createTokenCache, type ProviderClient } from "@x/core";
import { redisTokenStore } from "@x/token-store-redis";
import { Redis } from "ioredis";
import { execFileSync, spawn } from "node:child_process";
import { createServer, connect } from "node:net";
import type { Flow } from "./types.js";

/**
 * Two app instances (two token caches over two Redis connections, as two containers would have)
 * call the echo emulator at once with the Redis token store: the table's "tokens fetched" column
 * shows that the pair fetched one token, not two. Uses REDIS_URL when set, else starts a throwaway
 * redis-server (REDIS_SERVER or PATH); with neither, the flow reports itself skipped.
 */
export const fleetFlow: Flow = {
  provider: "echo",
  name: "fleet: 2 instances, Redis token store",
  realEnv: [],
  async run({ sandboxUrl, demoCredentials, env }) {
    const redis = env.REDIS_URL ? { url: env.REDIS_URL, stop() {} } : await startRedis(env);
    if (!redis)
      return {
        result: "skipped: no REDIS_URL and no redis-server on PATH (apt-get install redis-server, or set REDIS_SERVER)",
      };
    try {
      const prefix = `demo:${crypto.randomUUID()}:`;
      const instances = [
        instance(redis.url, prefix, sandboxUrl, demoCredentials),
        instance(redis.url, prefix, sandboxUrl, demoCredentials),
      ];
      try {
        const calls = instances.flatMap(({ client, counts }) =>
          Array.from({ length: 5 }, () =>
            client
              .fetch(`${sandboxUrl}/echo`, { method: "POST", body: "hi" })
              .then((r) => (r.ok ? counts.calls++ : Promise.reject(new Error(`echo failed with ${r.status}`)))),
          ),
        );
        await Promise.all(calls);
        const perInstance = instances.map(({ counts }) => `${counts.calls} calls/${counts.fetched} token`).join(" + ");
        return { result: `${perInstance}; ${instances.reduce((n, i) => n + i.counts.fetched, 0)} token for the fleet` };
      } finally {
        await Promise.all(instances.map((i) => i.close()));
      }
    } finally {
      await redis.stop();
    }
  },
};

function instance(redisUrl: string, prefix: string, sandboxUrl: string, credentials: Record<string, string>) {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
  const store = redisTokenStore({ client: redis, prefix });
  const counts = { calls: 0, fetched: 0 };
  const auth = bearerTokenAuth({
    kind: "access_token",
    identity: [sandboxUrl, credentials.clientId ?? ""],
    async fetchToken(runtime) {
      const body = new URLSearchParams({
        grant_type: "client_credentials",
        client_id: credentials.clientId ?? "",
        client_secret: credentials.clientSecret ?? "",
      });
      const response = await runtime.plainFetch(`${sandboxUrl}/oauth/token`, { method: "POST", body });
      if (!response.ok) throw new Error(`token request failed with ${response.status}`);
      const token = (await response.json()) as { access_token: string; expires_in: number };
      return { accessToken: token.access_token, expiresInMs: token.expires_in * 1000 };
    },
  });
  const client: ProviderClient<{}> = createProviderClient({
    provider: "echo",
    baseUrl: sandboxUrl,
    auth,
    tokenCache: createTokenCache({ store }),
    onEvent: (event) => void (event.type === "token.fetched" && counts.fetched++),
  });
  return { client, counts, close: async () => (await store.close(), redis.disconnect()) };
}

/** A throwaway redis-server on a free loopback port, or undefined when none is installed. */
async function startRedis(env: NodeJS.ProcessEnv): Promise<{ url: string; stop(): Promise<void> } | undefined> {
  let binary = env.REDIS_SERVER;
  if (!binary) {
    try {
      binary = execFileSync("sh", ["-c", "command -v redis-server"], { encoding: "utf8" }).trim();
    } catch {
      return undefined;
    }
  }
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  const child = spawn(binary, ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], {
    stdio: "ignore",
  });
  for (let i = 0; i < 250; i++) {
    const up = await new Promise<boolean>((resolve) =>
      connect(port, "127.0.0.1")
        .once("connect", function (this: import("node:net").Socket) {
          this.destroy();
          resolve(true);
        })
        .once("error", () => resolve(false)),
    );
    if (up) break;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return {
    url: `redis://127.0.0.1:${port}`,
    stop: () => new Promise<void>((resolve) => (child.once("exit", () => resolve()), child.kill())),
  };
}

// Multi-process behaviour: each worker is a separate Node process running the BUILT packages
// (`pnpm --filter @x/token-store-redis... build` first), as a fleet of app instances would.
import { Redis } from "ioredis";
import { afterEach, describe, expect, inject, it } from "vitest";
import { startTokenServer, startWorker, type Worker, type WorkerConfig } from "./helpers/fleet.js";
import { startRedisServer, type RedisServer } from "./helpers/redis-server.js";

const redisUrl = inject("redisUrl");
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function fleet(
  count: number,
  config: Omit<WorkerConfig, "id" | "prefix"> & { prefix?: string },
): Promise<Worker[]> {
  const prefix = config.prefix ?? `fleet:${crypto.randomUUID()}:`;
  const workers = Array.from({ length: count }, (_, i) => startWorker({ ...config, prefix, id: `w${i}` }));
  cleanups.push(() => Promise.all(workers.map((w) => w.exit())).then(() => {}));
  await Promise.all(workers.map((w) => w.send("ready")));
  return workers;
}

describe("a fleet sharing tokens through Redis", () => {
  it("4 processes x 100 concurrent requests on a cold cache cause exactly 1 token request", async () => {
    const server = await startTokenServer({ tokenDelayMs: 50 });
    cleanups.push(() => server.close());
    const workers = await fleet(4, { redisUrl, apiUrl: server.url });
    const results = await Promise.all(
      workers.map((w) => w.send<{ ok: number; failed: number }>("requests", { n: 100 })),
    );
    expect(results.map((r) => r.ok)).toEqual([100, 100, 100, 100]);
    expect(server.tokenRequests()).toHaveLength(1);
  });

  it(
    "when the lock holder is killed mid-fetch, " +
      "one other process takes over after the lock TTL and every request succeeds",
    async () => {
      const server = await startTokenServer({ hangFirst: true });
      cleanups.push(() => server.close());
      const workers = await fleet(4, { redisUrl, apiUrl: server.url, store: { lockTtlMs: 1_000 } });
      const running = workers.map((w) =>
        w.send<{ ok: number; failed: number }>("requests", { n: 100 }).catch(() => undefined),
      );
      const deadline = Date.now() + 5_000;
      while (server.tokenRequests().length === 0 && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 5));
      const holder = server.tokenRequests()[0];
      const started = Date.now();
      workers.find((w) => w.id === holder)?.kill();
      const survivors = (await Promise.all(running)).filter((r) => r !== undefined);
      expect(survivors.map((r) => r.ok)).toEqual([100, 100, 100]);
      // The hung request plus exactly one takeover: the lock expired and only one waiter won it.
      expect(server.tokenRequests()).toHaveLength(2);
      expect(server.tokenRequests()[1]).not.toBe(holder);
      expect(Date.now() - started).toBeLessThan(5_000);
    },
  );

  it("a token invalidated by one process is gone from the others' in-process tier within 100 ms", async () => {
    const server = await startTokenServer();
    cleanups.push(() => server.close());
    const [a, b] = await fleet(2, { redisUrl, apiUrl: server.url });
    const { accessToken } = await a!.send<{ accessToken: string }>("token");
    expect((await b!.send<{ accessToken: string }>("token")).accessToken).toBe(accessToken);
    const watching = b!.send<{ at: number; changed: boolean }>("watch", { accessToken, timeoutMs: 3_000 });
    await new Promise((resolve) => setTimeout(resolve, 50)); // b is now serving its in-process copy in a loop
    const invalidated = await a!.send<{ at: number }>("invalidate", { accessToken });
    const seen = await watching;
    expect(seen.changed).toBe(true);
    expect(seen.at - invalidated.at).toBeLessThan(100);
    expect(server.tokenRequests()).toHaveLength(1);
  });

  it(
    "stopping redis-server mid-run fails no request and logs one warning; " + "once it is back the store is used again",
    async () => {
      const redis: RedisServer = await startRedisServer(inject("redisServerBinary"));
      cleanups.push(() => redis.stop());
      const server = await startTokenServer({ expiresIn: 1 });
      cleanups.push(() => server.close());
      const prefix = `outage:${crypto.randomUUID()}:`;
      const [a, b] = await fleet(2, {
        redisUrl: redis.url,
        apiUrl: server.url,
        prefix,
        store: { commandTimeoutMs: 100, probeIntervalMs: 100 },
        cache: { lockWaitMs: 500 },
      });
      const running = [a!, b!].map((w) =>
        w.send<{ ok: number; failed: number; firstFailure?: string }>("run", { ms: 4_000, concurrency: 10 }),
      );
      await new Promise((resolve) => setTimeout(resolve, 800));
      await redis.stop();
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      await redis.start();
      const results = await Promise.all(running);
      for (const result of results) {
        expect(result.failed, result.firstFailure).toBe(0);
        expect(result.ok).toBeGreaterThan(100);
      }
      for (const worker of [a!, b!]) {
        const { logs, mode } = await worker.send<{ logs: { level: string; message: string }[]; mode: string }>("logs");
        expect(logs.filter((l) => l.level === "warn").map((l) => l.message)).toEqual([
          expect.stringMatching(/Redis token store unreachable/),
        ]);
        expect(logs.some((l) => l.level === "info" && /answers again/.test(l.message))).toBe(true);
        expect(mode).toBe("shared");
      }
      // The restarted server came back empty, and tokens here live 1 s: a token in it right after this
      // call was written after the outage, through the store.
      await a!.send("token");
      const check = new Redis(redis.url);
      cleanups.push(() => void check.disconnect());
      expect(await check.keys(`${prefix}token:*`)).toHaveLength(1);
    },
  );
});

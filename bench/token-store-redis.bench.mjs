// @x/token-store-redis: (1) cache-hit throughput through the two-tier Redis store vs the memory store;
// (2) cold start of a 4-process fleet vs one process: token requests and time to first response.
// Needs redis-server (REDIS_SERVER or PATH); without it the rows say so instead of failing the bench run.
import { createTokenCache, memoryTokenStore } from "@x/core";
import { redisTokenStore } from "@x/token-store-redis";
import { Redis } from "ioredis";
import { execFileSync, spawn } from "node:child_process";
import { createServer } from "node:http";
import { connect, createServer as createTcpServer } from "node:net";
import { fileURLToPath } from "node:url";
import { median } from "./lib.mjs";

const worker = fileURLToPath(new URL("../packages/token-store-redis/test/fixtures/worker.mjs", import.meta.url));
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function freePort() {
  const server = createTcpServer();
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function startRedis() {
  let binary = process.env.REDIS_SERVER;
  try {
    binary ??= execFileSync("sh", ["-c", "command -v redis-server"], { encoding: "utf8" }).trim();
  } catch {
    return undefined;
  }
  const port = await freePort();
  const child = spawn(binary, ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], {
    stdio: "ignore",
  });
  for (let up = false; !up; await sleep(20)) {
    up = await new Promise((resolve) =>
      connect(port, "127.0.0.1")
        .once("connect", function () {
          this.destroy();
          resolve(true);
        })
        .once("error", () => resolve(false)),
    );
  }
  return { url: `redis://127.0.0.1:${port}`, stop: () => child.kill() };
}

/** A token endpoint with 20 ms of latency (a fast real one) and an API route that accepts its tokens. */
async function startTokenServer() {
  let tokenRequests = 0;
  const server = createServer((req, res) => {
    req.resume().on("end", async () => {
      if (req.url === "/token") {
        tokenRequests++;
        await sleep(20);
        res
          .writeHead(200, { "content-type": "application/json" })
          .end(JSON.stringify({ access_token: `tok-${tokenRequests}`, expires_in: 3600 }));
      } else res.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    tokenRequests: () => tokenRequests,
    close: () => (server.closeAllConnections(), server.close()),
  };
}

const HITS_PER_ROUND = 300_000;

async function cacheHits(redisUrl) {
  const info = { provider: "bench", kind: "client_token" };
  const fetchToken = async () => ({ accessToken: "tok", expiresInMs: 3_600_000 });
  const memory = createTokenCache({ store: memoryTokenStore() });
  const client = new Redis(redisUrl);
  const store = redisTokenStore({ client, prefix: "bench:" });
  await store.ready();
  const twoTier = createTokenCache({ store });
  // fill, and let the JIT settle
  for (const cache of [memory, twoTier]) for (let i = 0; i < 50_000; i++) await cache.get("k", fetchToken, info);
  const caches = { "cache hit, memory store": memory, "cache hit, redis two-tier store": twoTier };
  const opsPerSecond = Object.fromEntries(Object.keys(caches).map((name) => [name, []]));
  // Interleaved rounds so machine noise (a GC, another process) hits both sides alike; medians are reported.
  for (let round = 0; round < 9; round++) {
    for (const [name, cache] of Object.entries(caches)) {
      // A bare loop, no per-call timestamps: a hit costs less than reading the clock twice would.
      const started = performance.now();
      for (let i = 0; i < HITS_PER_ROUND; i++) await cache.get("k", fetchToken, info);
      opsPerSecond[name].push(HITS_PER_ROUND / ((performance.now() - started) / 1000));
    }
  }
  await store.close();
  client.disconnect();
  const memoryOps = opsPerSecond["cache hit, memory store"];
  // Compared round by round (same JIT state, same noise), then the median ratio.
  return Object.entries(opsPerSecond).map(([name, xs]) => ({
    case: name,
    "median ops/s": Math.round(median(xs)),
    "vs memory store (median of rounds)": median(xs.map((x, round) => x / memoryOps[round])).toFixed(2),
    "all rounds k ops/s": xs.map((x) => Math.round(x / 1000)).join(" "),
  }));
}

function startWorker(config) {
  const child = spawn(process.execPath, [worker], {
    env: { ...process.env, WORKER_CONFIG: JSON.stringify(config) },
    stdio: ["pipe", "pipe", "inherit"],
  });
  const waiting = new Map();
  let buffer = "";
  child.stdout.on("data", (chunk) => {
    buffer += chunk;
    for (let nl = buffer.indexOf("\n"); nl >= 0; nl = buffer.indexOf("\n")) {
      const message = JSON.parse(buffer.slice(0, nl));
      buffer = buffer.slice(nl + 1);
      waiting.get(message.id)?.(message.result);
    }
  });
  let id = 0;
  return {
    send: (cmd, args = {}) =>
      new Promise(
        (resolve) => (waiting.set(++id, resolve), child.stdin.write(`${JSON.stringify({ id, cmd, ...args })}\n`)),
      ),
    exit: () => child.stdin.write(`${JSON.stringify({ cmd: "exit" })}\n`),
  };
}

/**
 * One fleet cold start: processes started, connected and warmed on `warmUps` other credentials, then
 * all asked at once for one request on a credential nobody holds. Returns the token requests it cost
 * and the slowest process's time to its first response, timed inside each process.
 */
async function coldStart(redisUrl, processes, memory, warmUps) {
  const server = await startTokenServer();
  const prefix = `bench:${crypto.randomUUID()}:`;
  const workers = Array.from({ length: processes }, (_, i) =>
    startWorker({ id: `w${i}`, redisUrl, apiUrl: server.url, prefix, memory }),
  );
  await Promise.all(workers.map((w) => w.send("ready")));
  await Promise.all(workers.map((w) => w.send("warm", { credentials: warmUps })));
  const warmUpTokenRequests = server.tokenRequests();
  const results = await Promise.all(workers.map((w) => w.send("requests", { n: 1 })));
  workers.forEach((w) => w.exit());
  server.close();
  return {
    tokenRequests: server.tokenRequests() - warmUpTokenRequests,
    slowestMs: Math.max(...results.map((r) => r.firstResponseMs)),
  };
}

const COLD_START_RUNS = 5;
/**
 * How many other credentials each fleet cold-starts before the measured one. With 1, V8 is still
 * compiling the code paths and a process burns 25-40 ms of CPU on its first request, so four
 * processes on a 2-core machine queue for CPU whether or not they share tokens (see the unshared
 * row). With 20 the code is compiled, as in a process that has served traffic, and the rows time
 * the token cache itself. Both are reported.
 */
const WARM_UPS = [1, 20];

export default async function () {
  const redis = await startRedis();
  if (!redis) return [{ case: "skipped: redis-server not found (set REDIS_SERVER or install it)" }];
  try {
    const rows = await cacheHits(redis.url);
    const fleets = {
      "1 process, redis store": [1, false],
      "4 processes, redis store": [4, false],
      "4 processes, memory store (unshared)": [4, true],
    };
    for (const warmUps of WARM_UPS) {
      const runs = Object.fromEntries(Object.keys(fleets).map((name) => [name, []]));
      // Interleaved, so that machine noise hits every fleet alike; the median run is reported.
      for (let i = 0; i < COLD_START_RUNS; i++) {
        for (const [name, [processes, memory]] of Object.entries(fleets))
          runs[name].push(await coldStart(redis.url, processes, memory, warmUps));
      }
      const single = median(runs["1 process, redis store"].map((r) => r.slowestMs));
      for (const [name, results] of Object.entries(runs)) {
        const slowest = median(results.map((r) => r.slowestMs));
        rows.push({
          case: `cold start after ${warmUps} warm-up${warmUps > 1 ? "s" : ""}, ${name}`,
          "token requests (per run)": [...new Set(results.map((r) => r.tokenRequests))].join("/"),
          "first response ms (median of slowest)": slowest.toFixed(1),
          "vs 1 process": (slowest / single).toFixed(2),
          "all runs ms": results.map((r) => r.slowestMs.toFixed(0)).join(" "),
        });
      }
    }
    return rows;
  } finally {
    redis.stop();
  }
}

// What the @x/core pipeline costs users: the SDK (timeout, retry, provider plugins, auth with a cached token) against
// bare openapi-fetch and plain fetch, on the same calls to the same loopback server running in a second process, as a
// provider's API does in production. Variants are interleaved round by round so machine noise hits them alike; every
// round is listed and the median compared.
//
// Cases: a JSON POST through @x/sfs (`/api/client`, action list, which the SDK marks retryable from the body), a GET
// through @x/october (`/requests/{id}`, static credential headers), and a 5 MB Blob upload whose memory is sampled to
// show the pipeline never holds a second copy of the body.
// Env: BENCH_ROUNDS (default 5), BENCH_CALLS (calls per round, default 8000), BENCH_CONCURRENCY (default 64).
import { fork } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import createClient from "openapi-fetch";
import { createTokenCache } from "@x/core";
import { createOctoberClient } from "@x/october";
import { createSfsClient } from "@x/sfs";
import { median } from "./lib.mjs";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const CALLS = Number(process.env.BENCH_CALLS ?? 8000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 64);
const BLOB_BYTES = 5 * 1024 * 1024;
const ID = "65a1f0c2e4b0a1b2c3d4e5f6";

/** Calls per second for CALLS calls, CONCURRENCY at a time; every answer is read, as an app would. */
async function throughput(call) {
  let remaining = CALLS;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (remaining-- > 0) await call();
    }),
  );
  return CALLS / ((performance.now() - started) / 1000);
}

async function startServer() {
  const child = fork(fileURLToPath(new URL("./fixtures/pipeline-server.mjs", import.meta.url)), {
    stdio: ["ignore", "pipe", "inherit", "ipc"],
  });
  const [chunk] = await once(child.stdout, "data");
  return { base: `http://127.0.0.1:${String(chunk).trim()}`, stop: () => child.kill() };
}

/**
 * Peak memory above the level before one send, in MB: the JS heap and the memory outside it (where Blob and body
 * buffers live), sampled every 2 ms. With `--expose-gc` (as `pnpm bench` runs) garbage is collected first, so the peak
 * is what that one send holds.
 */
async function peakMemoryMb(send) {
  globalThis.gc?.();
  const before = process.memoryUsage();
  let peak = 0;
  const sample = () => {
    const now = process.memoryUsage();
    const outside = now.arrayBuffers + now.external - (before.arrayBuffers + before.external);
    peak = Math.max(peak, outside + Math.max(0, now.heapUsed - before.heapUsed));
  };
  const timer = setInterval(sample, 2);
  try {
    await send();
  } finally {
    clearInterval(timer);
    sample();
  }
  return peak / (1024 * 1024);
}

export default async function () {
  const { base, stop } = await startServer();
  try {
    const json = { "content-type": "application/json", authorization: "Bearer bench-token" };
    const sfsBody = { data: { action: "list" } };
    const octoberHeaders = { userId: "u-1", sessionToken: "s-1", "October-Version": "2023-06-01" };

    const bare = createClient({ baseUrl: base });
    const sfs = createSfsClient({ apiKey: "k", secret: "s", baseUrl: base, tokenCache: createTokenCache() });
    const october = createOctoberClient({ userId: "u-1", sessionToken: "s-1", baseUrl: base });

    const cases = {
      "sfs POST /api/client (list)": {
        "plain fetch": async () =>
          (await fetch(`${base}/api/client`, { method: "POST", headers: json, body: JSON.stringify(sfsBody) })).json(),
        "openapi-fetch": () =>
          bare.POST("/api/client", { body: sfsBody, headers: { authorization: "Bearer bench-token" } }),
        "@x/sfs": () => sfs.POST("/api/client", { body: sfsBody }),
      },
      "october GET /requests/{id}": {
        "plain fetch": async () => (await fetch(`${base}/requests/${ID}`, { headers: octoberHeaders })).json(),
        "openapi-fetch": () => bare.GET("/requests/{id}", { params: { path: { id: ID } }, headers: octoberHeaders }),
        "@x/october": () => october.GET("/requests/{id}", { params: { path: { id: ID } } }),
        // The generated method: the same call, its parameters split by name, its data unwrapped or an error thrown.
        "@x/october requests.get()": () => october.requests.get({ id: ID }),
      },
    };

    const rows = [];
    for (const [name, variants] of Object.entries(cases)) {
      // Warm up JIT, the connection pool and the SDK's token.
      for (const call of Object.values(variants)) for (let i = 0; i < 500; i++) await call();
      const rounds = Object.fromEntries(Object.keys(variants).map((k) => [k, []]));
      for (let round = 0; round < ROUNDS; round++) {
        for (const [variant, call] of Object.entries(variants)) rounds[variant].push(await throughput(call));
      }
      const fetchOps = median(rounds["plain fetch"]);
      const bareOps = median(rounds["openapi-fetch"]);
      for (const [variant, xs] of Object.entries(rounds)) {
        rows.push({
          case: name,
          variant,
          "median req/s": Math.round(median(xs)),
          "vs openapi-fetch": (median(xs) / bareOps).toFixed(2),
          "vs plain fetch": (median(xs) / fetchOps).toFixed(2),
          "every round (req/s)": xs.map((x) => Math.round(x)).join(" "),
        });
      }
    }

    // A 5 MB Blob POST. Sampled memory is noisy (undici streams the Blob in chunks and GC timing varies), so the Blob
    // also counts how it is read: plain fetch streams it once per send, and so must the SDK, never reading it whole.
    const reads = { stream: 0, whole: 0 };
    class CountingBlob extends Blob {
      stream() {
        reads.stream++;
        return super.stream();
      }
      arrayBuffer() {
        reads.whole++;
        return super.arrayBuffer();
      }
      bytes() {
        reads.whole++;
        return super.bytes();
      }
      text() {
        reads.whole++;
        return super.text();
      }
    }
    const blob = new CountingBlob([new Uint8Array(BLOB_BYTES).fill(120)], { type: "application/octet-stream" });
    const upload = {
      "plain fetch": async () => (await fetch(`${base}/upload`, { method: "POST", body: blob })).json(),
      "@x/sfs client.fetch": async () => (await sfs.fetch(`${base}/upload`, { method: "POST", body: blob })).json(),
    };
    const SENDS = 20;
    const uploads = Object.entries(upload).map(([variant, call]) => ({
      variant,
      call,
      peaks: [],
      streamed: 0,
      whole: 0,
    }));
    for (const u of uploads) {
      const answer = await u.call();
      if (answer.bytes !== BLOB_BYTES)
        throw new Error(`${u.variant}: the server got ${answer.bytes} bytes, not ${BLOB_BYTES}`);
    }
    // Interleaved send by send, like the throughput rounds: undici's own buffers settle after the first sends.
    for (let i = 0; i < SENDS; i++) {
      for (const u of uploads) {
        reads.stream = reads.whole = 0;
        u.peaks.push(await peakMemoryMb(u.call));
        u.streamed += reads.stream;
        u.whole += reads.whole;
      }
    }
    for (const u of uploads) {
      rows.push({
        case: `POST a 5 MB Blob (${SENDS} sends)`,
        variant: u.variant,
        "Blob reads per send": `${u.streamed / SENDS} streamed, ${u.whole / SENDS} whole`,
        "median peak extra memory (MB)": median(u.peaks).toFixed(1),
      });
    }

    // Token cache hit path on the memory store: what every authenticated request pays.
    const cache = createTokenCache();
    const info = { provider: "bench", kind: "client_credentials" };
    const fetchToken = async () => ({ accessToken: "t", expiresInMs: 3_600_000 });
    await cache.get("k", fetchToken, info);
    const N = 2_000_000;
    const started = performance.now();
    for (let i = 0; i < N; i++) await cache.get("k", fetchToken, info);
    rows.push({
      case: "token cache get (memory store, hit)",
      variant: "@x/core",
      "median req/s": Math.round(N / ((performance.now() - started) / 1000)),
    });
    return rows;
  } finally {
    stop();
  }
}

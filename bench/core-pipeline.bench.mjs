// @x/core pipeline overhead on a token cache hit, against the same openapi-fetch client
// without plugins and against plain fetch, all on one loopback server in one run.
// Variants are interleaved in rounds so that machine noise hits them alike.
import { createServer } from "node:http";
import createClient from "openapi-fetch";
import { createProviderClient, createTokenCache, oauth2Auth } from "@x/core";
import { median } from "./lib.mjs";

const ROUNDS = 9;
const PER_ROUND = 3000;
const CONCURRENCY = 8;

async function throughput(call) {
  let remaining = PER_ROUND;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (remaining-- > 0) await call();
    }),
  );
  return PER_ROUND / ((performance.now() - started) / 1000);
}

export default async function () {
  const body = JSON.stringify({ id: "acc_1", balance: "12.50" });
  const server = createServer((req, res) => {
    if (req.url === "/token") {
      req.resume();
      res.writeHead(200, { "content-type": "application/json" });
      return res.end(JSON.stringify({ access_token: "bench-token", expires_in: 3600 }));
    }
    res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
    res.end(body);
  });
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  const base = `http://127.0.0.1:${server.address().port}`;

  const bare = createClient({ baseUrl: base });
  const sdk = createProviderClient({
    provider: "bench",
    baseUrl: base,
    auth: oauth2Auth({ tokenUrl: `${base}/token`, clientId: "c", clientSecret: "s", grant: { type: "client_credentials" } }),
  });
  const variants = {
    "plain fetch": async () => (await fetch(`${base}/accounts/acc_1`)).json(),
    "openapi-fetch, no plugins": () => bare.GET("/accounts/{id}", { params: { path: { id: "acc_1" } } }),
    "@x/core client (timeout+retry+oauth2, cache hit)": () => sdk.GET("/accounts/{id}", { params: { path: { id: "acc_1" } } }),
  };
  const totals = Object.fromEntries(Object.keys(variants).map((k) => [k, []]));
  for (const call of Object.values(variants)) for (let i = 0; i < 200; i++) await call(); // warm up JIT, sockets, token
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, call] of Object.entries(variants)) totals[name].push(await throughput(call));
  }
  server.close();
  const bareOps = median(totals["openapi-fetch, no plugins"]);
  const rows = Object.entries(totals).map(([name, xs]) => ({
    case: name,
    "median req/s": Math.round(median(xs)),
    "vs openapi-fetch": (median(xs) / bareOps).toFixed(3),
  }));

  // Token cache hit path on the memory store: what every authenticated request pays.
  const cache = createTokenCache();
  const info = { provider: "bench", kind: "client_credentials" };
  const fetchToken = async () => ({ accessToken: "t", expiresInMs: 3_600_000 });
  await cache.get("k", fetchToken, info);
  const N = 2_000_000;
  const started = performance.now();
  for (let i = 0; i < N; i++) await cache.get("k", fetchToken, info);
  const seconds = (performance.now() - started) / 1000;
  rows.push({ case: "token cache get (memory store, hit)", "median req/s": Math.round(N / seconds), "vs openapi-fetch": "" });
  return rows;
}

// The fault soak (issue 22): every provider's SDK against its sandbox emulator while the sandbox injects latency, 5xx,
// 429 with Retry-After, dropped connections, and tokens that expire every couple of seconds. Each call is bounded by
// an outer deadline, so a call the SDK never settles counts as hung instead of stalling the run. Reported per
// provider: ok, typed errors (XError), other errors, hung, unhandled rejections, non-idempotent calls sent more than
// once, heap before and after. Used by soak.bench.mjs (10,000 calls) and by @x/hostile-test in CI (a short run).
//
// The calls are ones that exist today and are unlikely to move: per provider one read and one create (a POST the SDK
// must never repeat), tokens fetched and renewed underneath. Each create carries an `x-soak-call` header; a counting
// `fetch` (the SDK's `fetch` option) sees every send, so a create sent twice is caught on the client side, faulted
// sends included.
import { isXError } from "@x/core";
import { createFinapiClient } from "@x/finapi";
import { createInqomAccountingClient, createInqomClient } from "@x/inqom";
import { createOctoberClient } from "@x/october";
import { createSaltEdgeClient } from "@x/saltedge";
import { fork } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import { createSfsClient } from "@x/sfs";

export const PROVIDERS = ["october", "sfs", "finapi", "saltedge", "inqom"];

/** Token lifetimes short enough that a soak renews them many times (the SDK refreshes ahead of expiry). */
const SHORT_TOKENS = {
  sfs: { platformTokenTtlSeconds: 2, clientTokenTtlSeconds: 2 },
  finapi: { clientTokenTtlSeconds: 2, userTokenTtlSeconds: 2 },
  inqom: { tokenTtlSeconds: 2 },
};

/** Fast retries, so faults cost the run little time; the SDK's policy (what is retried) is unchanged. */
const CLIENT_OPTIONS = { timeoutMs: 30_000, retry: { retries: 2, minDelayMs: 5, maxDelayMs: 1_000 } };

/**
 * Per provider: the SDK client, a read (idempotent) and a create (never to be sent twice). `headers` goes on the
 * create so the counting fetch can tell its sends apart.
 */
const scenarios = {
  october(url, credentials, fetch) {
    const client = createOctoberClient({ ...credentials, baseUrl: url, fetch, ...CLIENT_OPTIONS });
    return {
      read: () => client.unwrap(client.GET("/requests")),
      create: (headers) =>
        client.unwrap(client.POST("/requests", { body: { code: { type: "siren", id: "514673987" } }, headers })),
    };
  },
  sfs(url, credentials, fetch) {
    const client = createSfsClient({
      apiKey: credentials.apiKey,
      secret: credentials.secret,
      baseUrl: url,
      fetch,
      ...CLIENT_OPTIONS,
    });
    return {
      read: () => client.unwrap(client.POST("/api/client", { body: { data: { action: "list" } } })),
      create: (headers) => client.unwrap(client.POST("/api/client", { body: { data: { action: "create" } }, headers })),
    };
  },
  finapi(url, credentials, fetch) {
    const client = createFinapiClient({
      clientId: credentials.clientId,
      clientSecret: credentials.clientSecret,
      accessUrl: url,
      processControllerUrl: url,
      webFormUrl: url,
      fetch,
      ...CLIENT_OPTIONS,
    });
    const user = client.forUser({ userId: credentials.userId, password: credentials.userPassword });
    return {
      read: () => user.unwrap(user.GET("/api/v2/accounts")),
      create: (headers) => client.unwrap(client.POST("/api/v2/users", { body: {}, headers })),
    };
  },
  saltedge(url, credentials, fetch) {
    const client = createSaltEdgeClient({
      appId: credentials.appId,
      secret: credentials.secret,
      privateKey: credentials.privateKey,
      baseUrl: url,
      fetch,
      ...CLIENT_OPTIONS,
    });
    let n = 0;
    return {
      read: () => client.unwrap(client.GET("/customers")),
      create: (headers) =>
        client.unwrap(
          client.POST("/customers", { body: { data: { identifier: `soak-${Date.now()}-${n++}` } }, headers }),
        ),
    };
  },
  inqom(url, credentials, fetch) {
    const options = {
      username: credentials.username,
      password: credentials.password,
      clientId: credentials.clientId,
      clientSecret: credentials.clientSecret,
      baseUrl: url,
      authUrl: `${url}/identity/connect/token`,
      fetch,
      ...CLIENT_OPTIONS,
    };
    const banking = createInqomClient(options);
    const accounting = createInqomAccountingClient({ ...options, tokenCache: banking.runtime.tokenCache });
    const dossierId = Number(credentials.dossierIds.split(",")[0]);
    // The same account every time: the first create makes it, the others get a 409 (a typed ApiError). Either way
    // it is a POST that must be sent once per call.
    const body = { Iban: "FR7630006000011234567890189", BankName: "Soak bank", IsCfonbControlActive: false };
    return {
      read: () =>
        accounting.unwrap(accounting.GET("/v1/dossiers/{dossierId}/journals", { params: { path: { dossierId } } })),
      create: (headers) =>
        banking.unwrap(
          banking.POST("/api/app/banking/enterprises/{dossierId}/manual/ebics/accounts", {
            params: { path: { dossierId } },
            body,
            headers,
          }),
        ),
    };
  },
};

/**
 * A `fetch` that records what became of every send of each create (by its `x-soak-call` header): the status, or
 * "dropped". A create counts as sent twice when more than one of its sends may have been acted on: every send but
 * those refused for their credential (401/403, which the auth plugin replays once with a new token, as designed:
 * the server refused it before acting).
 */
function countingFetch() {
  const sends = new Map();
  const fetchImpl = async (input, init) => {
    const id = new Headers(init?.headers).get("x-soak-call");
    if (!id) return globalThis.fetch(input, init);
    const outcomes = sends.get(id) ?? [];
    sends.set(id, outcomes);
    try {
      const response = await globalThis.fetch(input, init);
      outcomes.push(response.status);
      return response;
    } catch (error) {
      outcomes.push("dropped");
      throw error;
    }
  };
  const actedOn = (outcome) => outcome !== 401 && outcome !== 403;
  return {
    fetch: fetchImpl,
    duplicates: () => [...sends.values()].filter((outcomes) => outcomes.filter(actedOn).length > 1).length,
    replays: () => [...sends.values()].filter((outcomes) => outcomes.length > 1).length,
  };
}

const heapMb = () => {
  globalThis.gc?.();
  return Math.round((process.memoryUsage().heapUsed / 1024 / 1024) * 10) / 10;
};

/**
 * Runs `calls` calls (one create in four, the rest reads) at `concurrency` against one provider's emulator under
 * faults, each bounded by `outerDeadlineMs`. Returns one row of counts.
 */
async function soakProvider(server, provider, { calls, concurrency, outerDeadlineMs }) {
  const counter = countingFetch();
  const scenario = scenarios[provider](server.urls[provider], server.demoCredentials[provider], counter.fetch);
  const row = { provider, calls, ok: 0, "typed errors": 0, "other errors": 0, hung: 0, unhandled: 0 };
  const kinds = new Map();
  const onUnhandled = () => row.unhandled++;
  process.on("unhandledRejection", onUnhandled);
  await server.chaos(provider);
  const started = performance.now();
  let next = 0;
  // The heap is read after the first tenth of the calls (modules compiled, sockets pooled, tokens cached) and at the
  // end: flat means the other nine tenths left nothing behind.
  let heapBefore;
  const warmUpCalls = Math.ceil(calls / 10);
  try {
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        for (let i = next++; i < calls; i = next++) {
          if (i === warmUpCalls) heapBefore = heapMb();
          const create = i % 4 === 3;
          const call = create ? scenario.create({ "x-soak-call": `${provider}-${i}` }) : scenario.read();
          let timer;
          const hung = new Promise((resolve) => (timer = setTimeout(() => resolve("hung"), outerDeadlineMs)));
          const outcome = await Promise.race([
            call.then(
              () => "ok",
              (error) => ({ error }),
            ),
            hung,
          ]);
          clearTimeout(timer);
          if (typeof outcome === "string") row[outcome]++;
          else {
            const typed = isXError(outcome.error);
            row[typed ? "typed errors" : "other errors"]++;
            const { name, code, status, message } = outcome.error ?? {};
            const what = typed ? `${name} ${status ?? ""} ${code ?? ""}` : `${name}: ${String(message).slice(0, 100)}`;
            const kind = `${create ? "create" : "read"}: ${what}`;
            kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
          }
        }
      }),
    );
  } finally {
    await server.chaos(null);
    process.off("unhandledRejection", onUnhandled);
  }
  // Let late timers and sockets settle before the second heap reading.
  await new Promise((resolve) => setTimeout(resolve, 200));
  return {
    ...row,
    "creates sent twice": counter.duplicates(),
    "creates replayed after 401/403": counter.replays() - counter.duplicates(),
    "heap after 10% MB": heapBefore,
    "heap after MB": heapMb(),
    seconds: Math.round((performance.now() - started) / 100) / 10,
    errors: [...kinds]
      .sort((a, b) => b[1] - a[1])
      .map(([kind, n]) => `${n} ${kind.replace(/\s+/g, " ").trim()}`)
      .join("; "),
  };
}

/** The sandbox in a child process; `chaos(provider)` starts drawing faults for that provider (`null` stops). */
async function startServer(providers) {
  const child = fork(fileURLToPath(new URL("./soak-server.mjs", import.meta.url)), [
    JSON.stringify({ providers, options: SHORT_TOKENS }),
  ]);
  const [ready] = await once(child, "message");
  return {
    ...ready,
    async chaos(provider) {
      child.send({ chaos: provider });
      await once(child, "message");
    },
    async close() {
      const exited = once(child, "exit");
      child.disconnect();
      await exited;
    },
  };
}

/** The soak over every provider (or `providers`), one after the other, against one sandbox in a second process. */
export async function soak({ calls = 10_000, concurrency = 32, outerDeadlineMs = 60_000, providers = PROVIDERS } = {}) {
  const server = await startServer(providers);
  try {
    const rows = [];
    for (const provider of providers)
      rows.push(await soakProvider(server, provider, { calls, concurrency, outerDeadlineMs }));
    return rows;
  } finally {
    await server.close();
  }
}

import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { connect, createServer as createNetServer, type AddressInfo } from "node:net";
import path from "node:path";
import { parseCfonb120 } from "@x/cfonb";
import { startSandbox, type Sandbox, type SandboxStats } from "@x/sandbox";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ensureRuntime,
  packageDir,
  pruneCache,
  runScript,
  runWorker,
  startWorker,
  type Install,
  type RunOutput,
} from "./runtimes.js";

/**
 * The README's runtime table, tested: every provider's sandbox flow and the CFONB parser run with the built packages
 * (dist/, unmodified) inside Node 20 (this process's node), Node 22, Bun, Deno and workerd. The client code runs in
 * the runtime; the sandbox runs here, in Node, on 127.0.0.1, and the runtime gets its URLs and demo credentials in
 * a generated module (workerd: in the request body). Assertions are on what the runtime returns and on the
 * sandbox's own counters. A runtime is skipped only when its binary cannot be installed from the npm registry, and
 * the test's title and output then say so.
 */

const repoRoot = path.resolve(packageDir, "../..");
const fixture = readFileSync(path.join(packageDir, "test", "fixtures", "statement.cfonb"), "utf8");
/** The fixture with a movement's sign character made invalid (line 4) and a record cut short (line 3). */
const brokenFixture = fixture
  .split("\n")
  .map((line, i) => (i === 3 ? line.replace("0000000025007E", "0000000025007!") : i === 2 ? line.trimEnd() : line))
  .join("\n");

type Outcome = { ok: true; value: any } | { ok: false; error: { name: string; message: string; stack?: string } };
interface FlowsResult {
  runtime: { name: string; version: string };
  ms: number;
  results: Record<"october" | "sfs" | "finapi" | "inqom" | "saltedge" | "cfonb", Outcome>;
  fleet?: Outcome;
}

/** The value of a flow that must have passed; on failure, the runtime's own error and stack are the message. */
function passed(outcome: Outcome | undefined, what: string): any {
  expect(outcome, `${what}: no outcome`).toBeDefined();
  if (!outcome!.ok)
    expect.fail(
      `${what} failed in the runtime: ${outcome!.error.name}: ${outcome!.error.message}\n${outcome!.error.stack ?? ""}`,
    );
  return (outcome as { value: unknown }).value;
}

// ---- installs: all at once, before any test is defined, so a runtime that cannot be had is a named skip ----

const pruned = await pruneCache();
if (pruned.length)
  console.log(`[runtime-test] removed from the runtime cache (no longer tested): ${pruned.join(", ")}`);
const installStarted = performance.now();
const [node22, bun, deno, workerd] = await Promise.all([
  ensureRuntime("node22"),
  ensureRuntime("bun"),
  ensureRuntime("deno"),
  ensureRuntime("workerd"),
]);
const installMs = Math.round(performance.now() - installStarted);

interface Target {
  label: string;
  kind: "node" | "bun" | "deno" | "workerd";
  install: Install;
  /** What the runtime must report about itself, so a run that fell back to another runtime fails. */
  expectRuntime: { name: string; version?: RegExp };
}

const nodeSelf: Install = {
  ok: true,
  bin: process.execPath,
  version: process.versions.node,
  spec: "this test's node",
  cached: true,
  ms: 0,
};
const targets: Target[] = [
  {
    label: `node ${process.versions.node.split(".")[0]}`,
    kind: "node",
    install: nodeSelf,
    expectRuntime: { name: "node", version: new RegExp(`^${process.versions.node.replace(/\./g, "\\.")}$`) },
  },
  { label: "node 22", kind: "node", install: node22, expectRuntime: { name: "node", version: /^22\./ } },
  { label: "bun", kind: "bun", install: bun, expectRuntime: { name: "bun", version: /^1\.4\./ } },
  { label: "deno", kind: "deno", install: deno, expectRuntime: { name: "deno", version: /^2\.9\./ } },
  { label: "workerd", kind: "workerd", install: workerd, expectRuntime: { name: "workerd" } },
];

const summary: string[] = [];
for (const t of targets) {
  if (t.install.ok)
    summary.push(
      `${t.label.padEnd(8)} ${t.install.version.padEnd(22)} ` +
        `${t.install.cached ? "cached" : `installed ${t.install.spec} in ${(t.install.ms / 1000).toFixed(1)} s`}`,
    );
  else {
    const line =
      `${t.label.padEnd(8)} SKIPPED: ${t.install.spec} could not be installed from the npm ` +
      `registry: ${t.install.reason}`;
    summary.push(line);
    console.warn(`[runtime-test] ${line}`);
  }
}

// ---- Redis for the token-store flow: one throwaway redis-server for the file ----

let redis: { url: string; child: ChildProcess } | undefined;
let redisProblem: string | undefined;

async function freePort(): Promise<number> {
  const probe = createNetServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

async function startRedis(): Promise<void> {
  let binary = process.env.REDIS_SERVER;
  if (!binary) {
    try {
      binary = execFileSync("sh", ["-c", "command -v redis-server"], { encoding: "utf8" }).trim();
    } catch {
      redisProblem =
        "redis-server not found: install it (apt-get install redis-server) or set REDIS_SERVER; the " +
        "@x/token-store-redis runs need a real Redis";
      return;
    }
  }
  const port = await freePort();
  const child = spawn(binary, ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], {
    stdio: "ignore",
  });
  for (let i = 0; i < 250; i++) {
    const up = await new Promise<boolean>((resolve) => {
      const socket = connect(port, "127.0.0.1");
      socket.once("connect", () => (socket.destroy(), resolve(true))).once("error", () => resolve(false));
    });
    if (up) return void (redis = { url: `redis://127.0.0.1:${port}`, child });
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  child.kill();
  redisProblem = `redis-server (${binary}) did not start on port ${port}`;
}

/** Where the sandbox posts Salt Edge callbacks; the runtime fetches them from here (a worker cannot listen). */
async function startCallbackRelay(): Promise<{ url: string; close(): Promise<void> }> {
  const received: Array<{ url: string; body: string; signature: string }> = [];
  const waiting: Array<() => void> = [];
  let base = "";
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", async () => {
      if (req.method === "POST" && req.url === "/saltedge/callback") {
        received.push({
          url: `${base}/saltedge/callback`,
          body: Buffer.concat(chunks).toString("utf8"),
          signature: String(req.headers.signature ?? ""),
        });
        waiting.splice(0).forEach((wake) => wake());
        return res.writeHead(200).end();
      }
      if (req.method === "GET" && req.url === "/saltedge/next") {
        const deadline = Date.now() + 5000;
        while (received.length === 0 && Date.now() < deadline)
          await new Promise<void>((wake) => (waiting.push(wake), setTimeout(wake, 100)));
        const next = received.shift();
        if (!next) return res.writeHead(404).end("no Salt Edge callback arrived within 5 s");
        return res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(next));
      }
      res.writeHead(404).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: base,
    close: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}

function configFor(sandbox: Sandbox, relay: string, withPath: boolean) {
  const target = (name: "october" | "sfs" | "finapi" | "inqom" | "saltedge-v3" | "echo") => ({
    url: sandbox.provider(name).url,
    credentials: sandbox.provider(name).demoCredentials,
  });
  return {
    providers: {
      october: target("october"),
      sfs: target("sfs"),
      finapi: target("finapi"),
      inqom: target("inqom"),
      // The flow uses the "@x/saltedge/v3" entry, so it runs against the v3 emulator.
      saltedge: target("saltedge-v3"),
    },
    callbackRelay: relay,
    cfonb: { file: fixture, bad: brokenFixture },
    ...(withPath ? { inqomPath: path.join(packageDir, "test", "fixtures", "statement.cfonb") } : {}),
  };
}

beforeAll(startRedis, 30_000);
afterAll(() => {
  redis?.child.kill();
  console.log(
    `[runtime-test] runtimes (installs took ${(installMs / 1000).toFixed(1)} s in parallel):\n${summary.join("\n")}`,
  );
});

const expectedStatements = parseCfonb120(fixture);

for (const target of targets) {
  const { label, kind, install } = target;
  describe(label, () => {
    if (!install.ok) {
      it.skip(
        `${label}: SKIPPED because ${install.spec} could not be installed from the npm registry ` +
          `(${install.reason.split("\n")[0]})`,
        () => {},
      );
      return;
    }
    let sandbox: Sandbox;
    let relay: Awaited<ReturnType<typeof startCallbackRelay>>;
    let run: RunOutput;
    let result: FlowsResult;
    let stats: SandboxStats;
    let callbacks: Array<{ kind: string; status: number }>;

    beforeAll(async () => {
      // Salt Edge with requireSignature: an unsigned request is refused, a badly signed one fails verification.
      sandbox = await startSandbox({ options: { "saltedge-v3": { requireSignature: true } } });
      relay = await startCallbackRelay();
      const config = configFor(sandbox, relay.url, true);
      run =
        kind === "workerd"
          ? await runWorker(install.bin, config, "web")
          : await runScript(kind, label, install.bin, "flows", config, repoRoot);
      result = run.result as FlowsResult;
      stats = sandbox.stats();
      callbacks = sandbox.provider("saltedge-v3").control.callbacks();
      summary.push(`${label.padEnd(8)} flows ran in ${(run.ms / 1000).toFixed(1)} s (process start included)`);
    }, 120_000);
    afterAll(async () => {
      await relay?.close();
      await sandbox?.close();
    });

    it(`${label}: the script ran in ${label} itself (${install.version})`, () => {
      expect(result.runtime.name).toBe(target.expectRuntime.name);
      if (target.expectRuntime.version) expect(result.runtime.version).toMatch(target.expectRuntime.version);
    });

    it(`${label}: October with its user-id and session-token headers: request, upload, X-Ray, mini read`, () => {
      const value = passed(result.results.october, "october");
      expect(value.score).toMatch(/^[A-E]$/);
      expect(value.miniRead).toBe(value.requestId); // @x/october/mini's getRequest in this runtime
      expect(stats.october?.requests).toBeGreaterThanOrEqual(7); // create, 3-step upload, trigger/poll, mini read
      expect(stats.october?.tokensIssued).toEqual({});
    });

    it(`${label}: SFS platform token, two client tokens, one revoked and fetched again`, () => {
      const value = passed(result.results.sfs, "sfs");
      expect(value.listed).toEqual([1, 1, 1]);
      expect(value.fetched).toEqual({ platform_token: 1, client_token: 3 });
      expect(stats.sfs?.tokensIssued).toEqual({ platform: 1, client: 3 });
    });

    it(
      `${label}: finAPI client token, a user and its user token, paged transactions, a process token ` + `exchanged`,
      () => {
        const value = passed(result.results.finapi, "finapi");
        // The process user is new: it has no bank connection until it imports one through a web form.
        expect(value).toMatchObject({ transactions: 45, income: 19065, processConnections: 0 });
        expect(stats.finapi?.tokensIssued).toEqual({
          client_token: 1,
          user_token: 1,
          process_token: 1,
          process_user_token: 1,
        });
      },
    );

    it(`${label}: Inqom password-grant token, CFONB account, statement formatted and imported`, () => {
      const value = passed(result.results.inqom, "inqom");
      expect(value).toMatchObject({
        dossierId: 1001,
        accountNumber: "12345678901",
        account: "created",
        imported: [{ movements: 3, opening: "500.00", closing: "554.58" }],
      });
      expect(stats.inqom?.tokensIssued).toEqual({ access: 1 });
    });

    it(`${label}: Salt Edge requests RSA-signed with Web Crypto and verified by the sandbox; callback verified`, () => {
      const value = passed(result.results.saltedge, "saltedge");
      expect(value.transactions).toBe(44);
      expect(value.callbackLoginId).toBe(value.loginId);
      expect(value.tamperedRejected).toBe(true);
      expect(stats["saltedge-v3"]?.tokensIssued).toEqual({ customer_secret: 1, login_secret: 1 });
      expect(callbacks).toEqual([expect.objectContaining({ kind: "success", status: 200 })]);
    });

    it(
      `${label}: @x/cfonb parses a small file whole, from bytes and as a stream, and locates problems in a broken ` +
        `copy`,
      () => {
        const value = passed(result.results.cfonb, "cfonb");
        expect(value.statements).toEqual(expectedStatements);
        expect(value.statements[0].movements.map((m: { amount: { value: string } }) => m.amount.value)).toEqual([
          "-190.40",
          "2500.75",
        ]);
        expect(value.sameFromBytes).toBe(true);
        expect(value.streamed).toEqual(expectedStatements);
        expect(value.problems).toEqual(
          expect.arrayContaining([
            expect.objectContaining({ line: 3, field: "recordLength" }),
            expect.objectContaining({ line: 4, field: "amount" }),
          ]),
        );
      },
    );

    if (kind === "workerd") {
      it(
        `${label}: LIMITATION: Inqom importCfonbFile cannot read a file path in a worker (no file system): it says ` +
          `to pass the contents`,
        () => {
          const value = passed(result.results.inqom, "inqom");
          expect(value.fromPath).toMatchObject({
            ok: false,
            error: { name: "ConfigurationError", message: expect.stringContaining("no file system") },
          });
        },
      );

      it(`${label}: with nodejs_compat (a new worker's default since compatibility date 2026-08-04) every provider ` +
        `flow and @x/cfonb pass too; a file path still cannot be read (workerd's node:fs is not the ` +
        `machine's)`, async () => {
        const compatSandbox = await startSandbox({
          providers: ["october", "sfs", "finapi", "inqom", "saltedge-v3"],
          options: { "saltedge-v3": { requireSignature: true } },
        });
        const compatRelay = await startCallbackRelay();
        try {
          const compat = (await runWorker(install.bin, configFor(compatSandbox, compatRelay.url, true), "node"))
            .result as FlowsResult;
          expect(compat.runtime.name).toBe("workerd");
          for (const [name, outcome] of Object.entries(compat.results)) passed(outcome, `${name} (nodejs_compat)`);
          expect(compat.results.cfonb.ok && compat.results.cfonb.value.statements).toEqual(expectedStatements);
          expect(compat.results.saltedge.ok && compat.results.saltedge.value.tamperedRejected).toBe(true);
          expect(compatSandbox.stats().sfs?.tokensIssued).toEqual({ platform: 1, client: 3 });
          const fromPath = compat.results.inqom.ok && compat.results.inqom.value.fromPath;
          expect(fromPath).toMatchObject({
            ok: false,
            error: { name: "ConfigurationError", message: expect.stringMatching(/cannot read .*ENOENT/) },
          });
        } finally {
          await compatRelay.close();
          await compatSandbox.close();
        }
      }, 60_000);

      it(`${label}: @x/token-store-redis: two instances share one token through Redis (ioredis over node:net, ` +
        `nodejs_compat, require()s of Node built-ins bundled as node:* imports)`, async () => {
        if (!redis) expect.fail(redisProblem);
        const echo = sandbox.provider("echo");
        const before = echo.stats();
        const source =
          `import { runFleet } from ${JSON.stringify(path.join(packageDir, "runtime", "fleet.mjs"))};
export default { async fetch(request) {
  try { return Response.json({ ok: true, value: await runFleet(await request.json()) }); }
  catch (error) { return Response.json({ ok: false, error: { name: error.name, message: error.message, stack: ` +
          `error.stack } }); }
} };
`;
        const worker = await startWorker(install.bin, "fleet", source, "node");
        try {
          const response = await fetch(worker.url, {
            method: "POST",
            body: JSON.stringify({ redisUrl: redis.url, echo: { url: echo.url, credentials: echo.demoCredentials } }),
            signal: AbortSignal.timeout(30_000),
          });
          const value = passed((await response.json()) as Outcome, "token-store-redis fleet in workerd");
          expect(value).toEqual(
            expect.arrayContaining([
              { calls: 5, fetched: 1 },
              { calls: 5, fetched: 0 },
            ]),
          );
          expect(echo.stats().tokensIssued.access ?? 0).toBe((before.tokensIssued.access ?? 0) + 1);
        } finally {
          await worker.stop();
        }
      }, 60_000);
    } else {
      it(`${label}: Inqom importCfonbFile reads the statement from a file path`, () => {
        const value = passed(result.results.inqom, "inqom");
        expect(value.fromPath).toEqual({ ok: true, value: 1 });
      });

      it(`${label}: @x/token-store-redis: two instances share one token through Redis (ioredis)`, async () => {
        if (!redis) expect.fail(redisProblem);
        const echo = sandbox.provider("echo");
        const before = echo.stats().tokensIssued.access ?? 0;
        const fleet = await runScript(
          kind,
          label,
          install.bin,
          "fleet",
          { redisUrl: redis.url, echo: { url: echo.url, credentials: echo.demoCredentials } },
          repoRoot,
        );
        const value = passed(fleet.result as Outcome, "token-store-redis fleet");
        expect(value).toEqual(
          expect.arrayContaining([
            { calls: 5, fetched: 1 },
            { calls: 5, fetched: 0 },
          ]),
        );
        expect((echo.stats().tokensIssued.access ?? 0) - before).toBe(1);
      }, 60_000);

      if (kind === "deno") {
        it(`${label}: LIMITATION: ioredis (so @x/token-store-redis) needs --allow-env: its debug dependency reads ` +
          `process.env as it loads`, async () => {
          if (!redis) expect.fail(redisProblem);
          const echo = sandbox.provider("echo");
          const config = { redisUrl: redis.url, echo: { url: echo.url, credentials: echo.demoCredentials } };
          await expect(
            runScript(kind, label, install.bin, "fleet", config, repoRoot, { denoAllowEnv: false }),
          ).rejects.toThrow(/NotCapable: Requires env access[\s\S]*node_modules\/debug\//);
        }, 60_000);
      }
    }
  });
}

import { execFile, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { builtinModules } from "node:module";
import { promisify } from "node:util";
import { build, type Plugin } from "esbuild";

const exec = promisify(execFile);

export const packageDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
/** Gitignored. Each runtime gets its own npm prefix, named by its spec, reused while its binary answers. */
export const cacheDir = path.join(packageDir, ".runtimes");
const runDir = path.join(cacheDir, "run");

/**
 * The runtimes this suite installs from the npm registry, where each ships its native binary inside a package.
 * They stay out of the workspace lockfile on purpose: together they are ~550 MB on disk that every `pnpm install`
 * would otherwise download. Exact versions, so a run is reproducible and the README's "version tested" column is
 * exact; to move one, change it here and in the README's runtime table.
 */
export const runtimeSpecs = {
  node22: { spec: "node@22.23.3", bin: "node" },
  bun: { spec: "bun@1.4.5", bin: "bun" },
  deno: { spec: "deno@2.9.6", bin: "deno" },
  workerd: { spec: "workerd@1.20261117.1", bin: "workerd" },
} as const;
export type InstalledRuntime = keyof typeof runtimeSpecs;

export type Install =
  | { ok: true; bin: string; version: string; spec: string; cached: boolean; ms: number }
  | { ok: false; spec: string; reason: string; ms: number };

/** The npm that came with the Node running this test (so CI's PATH, which holds only node's folder, finds it). */
function npmCommand(): string {
  const beside = path.join(path.dirname(process.execPath), process.platform === "win32" ? "npm.cmd" : "npm");
  return existsSync(beside) ? beside : "npm";
}

/**
 * pnpm hands its own settings to scripts as npm_config_* variables; npm would read them as its own config and
 * warn about the unknown ones. Keep only what says where the registry is and how to reach it.
 */
function npmEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    const k = key.toLowerCase();
    if (
      k.startsWith("npm_") &&
      !/^npm_config_(registry|@.*:registry|.*proxy|cafile|ca|strict_ssl|userconfig|globalconfig|cache)$/.test(k)
    )
      continue;
    env[key] = value;
  }
  return env;
}

/** The binary must answer `--version`; the version reported is the installed package's (workerd's is its date). */
async function versionOf(bin: string, prefix: string, pkg: string): Promise<string> {
  const { stdout } = await exec(bin, ["--version"], { timeout: 30_000 });
  const said = stdout.trim().split("\n")[0] ?? "";
  const { version } = JSON.parse(await readFile(path.join(prefix, "node_modules", pkg, "package.json"), "utf8")) as {
    version: string;
  };
  const date = /\d{4}-\d{2}-\d{2}/.exec(said)?.[0];
  return date ? `${version} (${date})` : version;
}

const specDir = (spec: string) => path.join(cacheDir, spec.replace(/[^a-zA-Z0-9.@~^-]/g, "_"));

/**
 * Removes what an older spec left in .runtimes/ (each runtime is 90-185 MB) and the temporary folders of installs
 * whose process is gone; keeps the current runtimes, the generated run scripts and installs still under way.
 */
export async function pruneCache(): Promise<string[]> {
  const keep = new Set([...Object.values(runtimeSpecs).map(({ spec }) => path.basename(specDir(spec))), "run"]);
  const entries = await readdir(cacheDir).catch(() => [] as string[]);
  const removed: string[] = [];
  for (const entry of entries) {
    if (keep.has(entry)) continue;
    const pid = Number(/\.tmp-(\d+)$/.exec(entry)?.[1]);
    if (pid && isAlive(pid)) continue;
    await rm(path.join(cacheDir, entry), { recursive: true, force: true });
    removed.push(entry);
  }
  return removed;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Installs one runtime with `npm install --prefix` into .runtimes/<spec>, or reuses what is there. The install goes
 * to a temporary folder first and is renamed into place, so an interrupted install is never mistaken for a cached one.
 */
export async function ensureRuntime(name: InstalledRuntime): Promise<Install> {
  const { spec, bin } = runtimeSpecs[name];
  const pkg = spec.slice(0, spec.lastIndexOf("@"));
  const started = performance.now();
  const ms = () => Math.round(performance.now() - started);
  const dir = specDir(spec);
  const binPath = path.join(dir, "node_modules", ".bin", bin);
  if (existsSync(binPath)) {
    try {
      return { ok: true, bin: binPath, version: await versionOf(binPath, dir, pkg), spec, cached: true, ms: ms() };
    } catch {
      await rm(dir, { recursive: true, force: true }); // a broken cache: install again
    }
  }
  const tmp = `${dir}.tmp-${process.pid}`;
  try {
    await rm(tmp, { recursive: true, force: true });
    await mkdir(tmp, { recursive: true });
    await exec(
      npmCommand(),
      ["install", "--prefix", tmp, "--no-audit", "--no-fund", "--no-update-notifier", "--loglevel=error", spec],
      {
        cwd: tmp,
        env: npmEnv(),
        timeout: 240_000,
        maxBuffer: 16 * 1024 * 1024,
      },
    );
    const version = await versionOf(path.join(tmp, "node_modules", ".bin", bin), tmp, pkg);
    await rename(tmp, dir).catch(async (err: NodeJS.ErrnoException) => {
      // Another run installed it meanwhile: use theirs.
      if (!existsSync(binPath)) throw err;
      await rm(tmp, { recursive: true, force: true });
    });
    return { ok: true, bin: binPath, version, spec, cached: false, ms: ms() };
  } catch (err) {
    await rm(tmp, { recursive: true, force: true });
    const e = err as { stderr?: string; message?: string };
    const lines = (e.stderr?.trim() || e.message || String(err))
      .split("\n")
      .filter((l) => l.trim() && !/complete log of this run/.test(l));
    const reason = lines.slice(0, 4).join("\n");
    return { ok: false, spec, reason, ms: ms() };
  }
}

export interface RunOutput {
  /** What the script printed after the marker, parsed. */
  result: unknown;
  stdout: string;
  stderr: string;
  ms: number;
}

const MARKER = "@@runtime-test-result@@";

/**
 * A module the runtime runs: runtime/flows.mjs (every provider and the CFONB parser) or runtime/fleet.mjs (the Redis
 * token store), with the config inlined (no env or args, which every runtime reads differently).
 */
async function writeEntry(name: string, part: "flows" | "fleet", config: unknown): Promise<string> {
  await mkdir(runDir, { recursive: true });
  const file = path.join(runDir, `${name}.${part}.mjs`);
  const runtimeModule = (f: string) =>
    JSON.stringify(
      path
        .relative(runDir, path.join(packageDir, "runtime", f))
        .split(path.sep)
        .join("/"),
    );
  await writeFile(
    file,
    [
      `import { outcome } from ${runtimeModule("flows.mjs")};`,
      part === "flows"
        ? `import { runFlows } from ${runtimeModule("flows.mjs")};`
        : `import { runFleet } from ${runtimeModule("fleet.mjs")};`,
      `const config = ${JSON.stringify(config)};`,
      part === "flows"
        ? `const result = await runFlows(config);`
        : `const result = await outcome(() => runFleet(config));`,
      `console.log(${JSON.stringify(MARKER)} + JSON.stringify(result));`,
      "",
    ].join("\n"),
  );
  return file;
}

function parseOutput(stdout: string, stderr: string, label: string): unknown {
  const line = stdout.split("\n").find((l) => l.startsWith(MARKER));
  if (!line) throw new Error(`${label} printed no result.\nstdout:\n${stdout}\nstderr:\n${stderr}`);
  return JSON.parse(line.slice(MARKER.length));
}

/** Runs a command to its end (or kills it at the timeout) and returns what it printed. */
function runProcess(
  cmd: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  timeoutMs: number,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: packageDir, env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      stderr += `\n[runtime-test] killed after ${timeoutMs} ms`;
    }, timeoutMs);
    child.on("error", (err) => (clearTimeout(timer), reject(err)));
    child.on("close", (code) => (clearTimeout(timer), resolve({ code, stdout, stderr })));
  });
}

export type ScriptRuntime = "node" | "bun" | "deno";

/**
 * Runs runtime/flows.mjs or runtime/fleet.mjs in Node, Bun or Deno, resolving @x/* through this package's
 * node_modules to each package's dist/. Deno runs with a manual node_modules dir (the workspace's links, no npm
 * download) and the fewest permissions that work: network to 127.0.0.1 and reading the repository (node_modules and
 * the dist files) for the providers; the fleet also needs env access, because ioredis's `debug` dependency reads
 * process.env when it loads (the @x packages themselves read no environment).
 */
export async function runScript(
  kind: ScriptRuntime,
  label: string,
  bin: string,
  part: "flows" | "fleet",
  config: unknown,
  readableRoot: string,
  { denoAllowEnv = part === "fleet" }: { denoAllowEnv?: boolean } = {},
): Promise<RunOutput> {
  const entry = await writeEntry(label.replace(/[^a-z0-9]+/gi, "-"), part, config);
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: "1", DENO_NO_UPDATE_CHECK: "1" };
  const denoPermissions = [
    "--allow-net=127.0.0.1",
    `--allow-read=${readableRoot}`,
    ...(denoAllowEnv ? ["--allow-env"] : []),
  ];
  const args =
    kind === "deno"
      ? ["run", "--node-modules-dir=manual", "--no-prompt", "--no-config", ...denoPermissions, entry]
      : [entry];
  const started = performance.now();
  const { code, stdout, stderr } = await runProcess(bin, args, env, 60_000);
  const ms = Math.round(performance.now() - started);
  if (code !== 0) throw new Error(`${label} exited with ${code}.\nstdout:\n${stdout}\nstderr:\n${stderr}`);
  return { result: parseOutput(stdout, stderr, label), stdout, stderr, ms };
}

/**
 * What wrangler does for nodejs_compat: a CommonJS dependency's `require("net")` (ioredis has many) cannot stay a
 * require() in an ES module worker, so each Node built-in it requires becomes a small module re-exporting `node:net`,
 * which workerd provides with nodejs_compat.
 */
const requiredNodeBuiltins: Plugin = {
  name: "required-node-builtins",
  setup(b) {
    const builtins = new Set(builtinModules);
    b.onResolve({ filter: /^[a-z_:/]+$/ }, (args) => {
      const bare = args.path.replace(/^node:/, "");
      if (args.kind !== "require-call" || !builtins.has(bare)) return undefined;
      return { path: bare, namespace: "node-builtin" };
    });
    b.onLoad({ filter: /.*/, namespace: "node-builtin" }, (args) => ({
      contents: `export * from "node:${args.path}"; export { default } from "node:${args.path}";`,
      loader: "js",
    }));
  },
};

/**
 * Bundles a worker entry with esbuild and serves it with workerd on a loopback port the OS picks, reported on
 * --control-fd. The worker's outbound fetch and sockets go through a network service that allows loopback, where the
 * sandbox and Redis listen. Two modes:
 * - web: the browser/worker export conditions, `no_nodejs_compat` (no node:* module at all, only web APIs), which is
 *   what any edge runtime offers; node:* imports stay external and fail if reached.
 * - node: nodejs_compat (the default since compatibility date 2026-08-04), bundled for Node's platform with the
 *   plugin above, as wrangler bundles a worker that uses npm packages written for Node.
 */
export async function startWorker(
  workerd: string,
  name: string,
  source: string,
  mode: "web" | "node",
): Promise<{ url: string; bundleBytes: number; stop(): Promise<void>; output(): string }> {
  await mkdir(runDir, { recursive: true });
  const entry = path.join(runDir, `${name}.entry.mjs`);
  const bundle = path.join(runDir, `${name}.worker.mjs`);
  const configFile = path.join(runDir, `${name}.capnp`);
  await writeFile(entry, source);
  const built = await build({
    entryPoints: [entry],
    outfile: bundle,
    bundle: true,
    format: "esm",
    platform: mode === "node" ? "node" : "browser",
    conditions: ["workerd", "worker", ...(mode === "web" ? ["browser"] : [])],
    target: "es2022",
    external: ["node:*", "cloudflare:*"],
    plugins: mode === "node" ? [requiredNodeBuiltins] : [],
    logLevel: "silent",
    metafile: true,
  });
  const bundleBytes = Object.values(built.metafile.outputs).reduce((n, o) => n + o.bytes, 0);
  const compatibilityFlags = mode === "node" ? [] : ["no_nodejs_compat"]; // nodejs_compat is on by default at this date
  await writeFile(
    configFile,
    `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [
    (name = "main", worker = .worker),
    (name = "internet", network = (allow = ["public", "private", "local"])),
  ],
  sockets = [ (name = "http", address = "127.0.0.1:0", http = (), service = "main") ],
);
const worker :Workerd.Worker = (
  modules = [ (name = "worker", esModule = embed ${JSON.stringify(path.basename(bundle))}) ],
  compatibilityDate = "2026-11-01",
  compatibilityFlags = ${JSON.stringify(compatibilityFlags)},
);
`,
  );
  const child = spawn(workerd, ["serve", configFile, "--control-fd=3"], {
    cwd: runDir,
    stdio: ["ignore", "pipe", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (output += d.toString()));
  const control = child.stdio[3] as NodeJS.ReadableStream;
  const port = await new Promise<number>((resolve, reject) => {
    let buffered = "";
    const timer = setTimeout(() => reject(new Error(`workerd did not listen within 30 s:\n${output}`)), 30_000);
    control.on("data", (d: Buffer) => {
      buffered += d.toString();
      for (const line of buffered.split("\n").slice(0, -1)) {
        const event = JSON.parse(line) as { event: string; socket?: string; port?: number };
        if (event.event === "listen" && event.socket === "http" && event.port) {
          clearTimeout(timer);
          resolve(event.port);
        }
      }
      buffered = buffered.slice(buffered.lastIndexOf("\n") + 1);
    });
    child.once(
      "exit",
      (code) => (clearTimeout(timer), reject(new Error(`workerd exited with ${code} before listening:\n${output}`))),
    );
  });
  return {
    url: `http://127.0.0.1:${port}`,
    bundleBytes,
    output: () => output,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill();
      }),
  };
}

/**
 * Runs the flows in a worker: the config goes in the request body, the result comes back as the response. `web` is the
 * strict run (no Node compatibility at all); `node` is what a worker created today gets (nodejs_compat by default).
 */
export async function runWorker(workerd: string, config: unknown, mode: "web" | "node"): Promise<RunOutput> {
  const source = `import { runFlows } from ${JSON.stringify(path.join(packageDir, "runtime", "flows.mjs"))};
export default {
  async fetch(request) {
    return Response.json(await runFlows(await request.json()));
  },
};
`;
  const started = performance.now();
  const worker = await startWorker(workerd, `flows-${mode}`, source, mode);
  try {
    const response = await fetch(worker.url, {
      method: "POST",
      body: JSON.stringify(config),
      signal: AbortSignal.timeout(60_000),
    });
    const text = await response.text();
    if (!response.ok)
      throw new Error(`the worker answered ${response.status}: ${text}\nworkerd output:\n${worker.output()}`);
    return {
      result: JSON.parse(text),
      stdout: worker.output(),
      stderr: "",
      ms: Math.round(performance.now() - started),
    };
  } finally {
    await worker.stop();
  }
}

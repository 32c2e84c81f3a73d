#!/usr/bin/env node
// node scripts/consumer-test.mjs
// Installs the packages the way a user does and checks they work there: `pnpm pack` every publishable package
// (packages/* whose package.json is not private), `npm install` the tarballs with plain npm into a fresh directory
// outside the workspace, then (a) import each from ESM, (b) require each from CJS, (c) type-check a TypeScript
// program against them with moduleResolution node16 and bundler, (d) start @x/sandbox from its tarball and make a
// call through @x/core's pipeline. Packages are found at run time, so new ones are covered as they land.
// Env: CONSUMER_TEST_REPORT=<file> writes a JSON report; KEEP_CONSUMER_DIR=1 keeps the temp directory.
import { execFile } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { UserError, root, run } from "./lib/repo.mjs";

const exec = promisify(execFile);
const tsc = path.join(root, "node_modules", "typescript", "bin", "tsc");

/** Runs a command; on failure the error says which command and shows its output, which is what one needs to fix it. */
async function sh(cmd, args, cwd, env = {}) {
  try {
    return await exec(cmd, args, { cwd, env: { ...process.env, ...env }, maxBuffer: 32 * 1024 * 1024 });
  } catch (err) {
    const output = `${err.stdout ?? ""}${err.stderr ?? ""}`.trim();
    throw new UserError(`\`${cmd === process.execPath ? "node" : path.basename(cmd)} ${args.join(" ")}\` failed in ${cwd}:\n${output}`);
  }
}

export function publishablePackages() {
  const dir = path.join(root, "packages");
  return readdirSync(dir)
    .filter((name) => existsSync(path.join(dir, name, "package.json")))
    .map((name) => ({ dir: path.join(dir, name), manifest: JSON.parse(readFileSync(path.join(dir, name, "package.json"), "utf8")) }))
    .filter(({ manifest }) => manifest.private !== true)
    .sort((a, b) => a.manifest.name.localeCompare(b.manifest.name));
}

function newestMtime(dir) {
  if (!existsSync(dir)) return 0;
  let newest = 0;
  for (const entry of readdirSync(dir, { recursive: true })) newest = Math.max(newest, statSync(path.join(dir, String(entry))).mtimeMs);
  return newest;
}

/** Every file a consumer can reach: `main`, `module`, `types` and each leaf of `exports`. */
function entryFiles(manifest) {
  const files = new Set([manifest.main, manifest.module, manifest.types].filter(Boolean));
  const walk = (node) => {
    if (typeof node === "string") files.add(node);
    else if (node && typeof node === "object") Object.values(node).forEach(walk);
  };
  walk(manifest.exports);
  return [...files].filter((f) => !f.endsWith("package.json"));
}

/**
 * `pnpm pack` ships dist/ as it is, so a missing, partial or stale build would test old code: build those first.
 * Partial happens when a build runs meanwhile (tsup empties dist/ before writing the declarations).
 */
async function ensureBuilt(packages) {
  const stale = packages.filter(({ dir, manifest }) => {
    const dist = path.join(dir, "dist");
    if (entryFiles(manifest).some((f) => !existsSync(path.join(dir, f)))) return true;
    return newestMtime(path.join(dir, "src")) > newestMtime(dist);
  });
  if (!stale.length) return [];
  const filters = stale.flatMap(({ manifest }) => ["--filter", manifest.name]);
  await sh("pnpm", [...filters, "run", "build"], root); // pnpm orders the builds by dependency
  return stale.map(({ manifest }) => manifest.name);
}

const esmCheck = (names) => `const names = ${JSON.stringify(names)};
const result = {};
for (const name of names) {
  const module = await import(name);
  const keys = Object.keys(module).filter((k) => k !== "default");
  if (keys.length === 0) throw new Error(name + ": import() gave a module without exports");
  result[name] = keys.length;
}
console.log(JSON.stringify(result));
`;

const cjsCheck = (names) => `const names = ${JSON.stringify(names)};
const result = {};
for (const name of names) {
  const module = require(name);
  const keys = Object.keys(module);
  if (keys.length === 0) throw new Error(name + ": require() gave a module without exports");
  result[name] = keys.length;
}
console.log(JSON.stringify(result));
`;

/** Touches every package's types (a namespace import per package) and uses core and sandbox the way users do. */
const tsProgram = (names, cjs) => `${names.map((name, i) => `import * as pkg${i} from "${name}";`).join("\n")}
import { createProviderClient, oauth2Auth, ApiError, type SharedClientOptions } from "@x/core";
import { startSandbox, type Sandbox } from "@x/sandbox";

export const packages = [${names.map((_, i) => `pkg${i}`).join(", ")}] as const;

interface Paths {
  "/echo": { post: { responses: { 200: { content: { "application/json": { body: string } } } } } };
}

export interface AcmeOptions extends SharedClientOptions {
  clientId: string;
  clientSecret: string;
}

export async function echoOnce(sandbox: Sandbox, options: AcmeOptions): Promise<string> {
  const baseUrl = sandbox.urls.echo ?? "";
  const client = createProviderClient<Paths>({
    ...options,
    provider: "acme",
    baseUrl,
    auth: oauth2Auth({ tokenUrl: baseUrl + "/oauth/token", clientId: options.clientId, clientSecret: options.clientSecret, grant: { type: "client_credentials" } }),
  });
  const data = await client.unwrap(client.POST("/echo", {}));
  return data.body;
}

export async function main(): Promise<number> {
  const sandbox = await startSandbox({ providers: ["echo"] });
  try {
    return (await echoOnce(sandbox, { clientId: "a", clientSecret: "b" })).length;
  } catch (error) {
    return error instanceof ApiError ? error.status : -1;
  } finally {
    await sandbox.close();
  }
}
${cjs ? "// Compiled as CommonJS (.cts): resolves each package's `require` types (index.d.cts).\n" : ""}`;

const tsconfig = (resolution, files) =>
  JSON.stringify(
    {
      compilerOptions: {
        ...(resolution === "node16" ? { module: "node16", moduleResolution: "node16" } : { module: "esnext", moduleResolution: "bundler" }),
        target: "es2022",
        lib: ["es2022", "dom", "dom.iterable"],
        strict: true,
        noEmit: true,
        // Checking every .d.ts (@types/node included) costs four times as long; each package's own lint already runs
        // attw on its declarations, and every declaration this program reaches is still resolved and used here.
        skipLibCheck: true,
        types: ["node"],
        typeRoots: [path.join(root, "node_modules", "@types")],
      },
      files,
    },
    null,
    2,
  );

// (d): the sandbox and core come from the installed tarballs; the call goes through core's whole pipeline.
const sandboxRun = `import { startSandbox } from "@x/sandbox";
import { createProviderClient, oauth2Auth } from "@x/core";

const sandbox = await startSandbox({ providers: ["echo"] });
try {
  const echo = sandbox.provider("echo");
  const client = createProviderClient({
    provider: "echo",
    baseUrl: echo.url,
    auth: oauth2Auth({ tokenUrl: echo.url + "/oauth/token", clientId: echo.demoCredentials.clientId, clientSecret: echo.demoCredentials.clientSecret, grant: { type: "client_credentials" } }),
  });
  const bodies = [];
  for (const word of ["hello", "tarball"]) {
    const response = await client.fetch(echo.url + "/echo", { method: "POST", body: word });
    if (response.status !== 200) throw new Error("echo answered " + response.status);
    bodies.push((await response.json()).body);
  }
  const stats = echo.stats();
  if (bodies.join(" ") !== "hello tarball") throw new Error("unexpected echo bodies " + JSON.stringify(bodies));
  if (stats.tokensIssued.access !== 1 || stats.requests !== 3) throw new Error("expected 1 token and 3 requests, got " + JSON.stringify(stats));
  console.log(JSON.stringify({ emulators: Object.keys(sandbox.urls), echoed: bodies.join(" "), stats }));
} finally {
  await sandbox.close();
}
`;

async function main() {
  const started = Date.now();
  const step = (label) => console.log(`consumer-test: ${label} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  const packages = publishablePackages();
  if (!packages.length) throw new UserError("no publishable package under packages/");
  const names = packages.map(({ manifest }) => manifest.name);
  for (const required of ["@x/core", "@x/sandbox"]) {
    if (!names.includes(required)) throw new UserError(`${required} is not publishable (private or missing); the consumer test needs it`);
  }
  console.log(`consumer-test: publishable packages: ${names.join(", ")}`);

  const rebuilt = await ensureBuilt(packages);
  if (rebuilt.length) step(`built ${rebuilt.join(", ")} (dist was missing or older than src)`);

  const work = await mkdtemp(path.join(os.tmpdir(), "x-consumer-"));
  const report = { packages: names, dir: work, checks: {} };
  try {
    const tarballDir = path.join(work, "tarballs");
    const app = path.join(work, "app");
    await mkdir(app, { recursive: true });
    const tarballs = await Promise.all(
      packages.map(async ({ dir }) => {
        const { stdout } = await sh("pnpm", ["pack", "--pack-destination", tarballDir], dir);
        return stdout.trim().split("\n").pop().trim();
      }),
    );
    step(`packed ${tarballs.map((t) => path.basename(t)).join(", ")}`);

    await writeFile(path.join(app, "package.json"), JSON.stringify({ name: "x-consumer", version: "0.0.0", private: true, type: "module" }, null, 2));
    // Plain npm, like a user: workspace links cannot help here. The @x packages come from the tarballs, their
    // third-party dependencies (openapi-fetch) from the registry or npm's cache.
    await sh("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error", ...tarballs], app);
    for (const [i, name] of names.entries()) {
      const installedDir = path.join(app, "node_modules", ...name.split("/"));
      const installed = JSON.parse(readFileSync(path.join(installedDir, "package.json"), "utf8"));
      const missing = entryFiles(installed).filter((f) => !existsSync(path.join(installedDir, f)));
      if (missing.length) throw new UserError(`${name}: the tarball lacks ${missing.join(", ")}, which its package.json points to; check "files" and the build`);
      if (installed.version !== packages[i].manifest.version) throw new UserError(`${name}: installed ${installed.version}, packed ${packages[i].manifest.version}`);
      for (const [dep, range] of Object.entries(installed.dependencies ?? {})) {
        if (String(range).startsWith("workspace:")) throw new UserError(`${name}: the tarball still depends on ${dep}@${range}; pack with pnpm so workspace: ranges are replaced`);
      }
    }
    const lock = JSON.parse(readFileSync(path.join(app, "package-lock.json"), "utf8"));
    const fromRegistry = Object.entries(lock.packages ?? {}).filter(([p, info]) => /node_modules\/@x\//.test(p) && String(info.resolved ?? "").startsWith("http"));
    if (fromRegistry.length) throw new UserError(`npm fetched @x packages from a registry instead of the tarballs: ${fromRegistry.map(([p]) => p).join(", ")}`);
    step(`npm installed ${names.length} tarball(s) into ${app}`);

    await writeFile(path.join(app, "esm.mjs"), esmCheck(names));
    report.checks.esm = JSON.parse((await sh(process.execPath, ["esm.mjs"], app)).stdout);
    step(`(a) import: ${Object.entries(report.checks.esm).map(([n, k]) => `${n} (${k} exports)`).join(", ")}`);

    await writeFile(path.join(app, "cjs.cjs"), cjsCheck(names));
    report.checks.cjs = JSON.parse((await sh(process.execPath, ["cjs.cjs"], app)).stdout);
    step(`(b) require: ${Object.entries(report.checks.cjs).map(([n, k]) => `${n} (${k} exports)`).join(", ")}`);

    await writeFile(path.join(app, "consumer.ts"), tsProgram(names, false));
    await writeFile(path.join(app, "consumer-cjs.cts"), tsProgram(names, true));
    await writeFile(path.join(app, "tsconfig.node16.json"), tsconfig("node16", ["consumer.ts", "consumer-cjs.cts"]));
    await writeFile(path.join(app, "tsconfig.bundler.json"), tsconfig("bundler", ["consumer.ts"]));
    report.checks.types = {};
    await Promise.all(
      ["node16", "bundler"].map(async (resolution) => {
        await sh(process.execPath, [tsc, "-p", `tsconfig.${resolution}.json`], app);
        report.checks.types[resolution] = names;
      }),
    );
    step(`(c) tsc: ${names.length} package(s) type-check with moduleResolution node16 (ESM and CJS) and bundler`);

    await writeFile(path.join(app, "sandbox.mjs"), sandboxRun);
    report.checks.sandbox = JSON.parse((await sh(process.execPath, ["sandbox.mjs"], app)).stdout);
    const { emulators, echoed, stats } = report.checks.sandbox;
    step(`(d) sandbox from the tarball (emulators: ${emulators.join(", ")}): echo answered "${echoed}" with ${stats.tokensIssued.access} token for ${stats.requests} requests`);

    console.log(`consumer-test: OK, ${names.length} package(s) in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return 0;
  } finally {
    if (process.env.CONSUMER_TEST_REPORT) await writeFile(process.env.CONSUMER_TEST_REPORT, JSON.stringify(report, null, 2));
    if (process.env.KEEP_CONSUMER_DIR) console.log(`consumer-test: kept ${work}`);
    else await rm(work, { recursive: true, force: true });
  }
}

await run("consumer-test", main);

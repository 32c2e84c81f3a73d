import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { expectOneLineError, fixture } from "./fixture.mjs";
import { node, repo, run, tempRepo } from "./helpers.mjs";

const ROOT_FILES = [
  "package.json",
  "pnpm-workspace.yaml",
  "pnpm-lock.yaml",
  "tsconfig.base.json",
  "turbo.json",
  "redocly.yaml",
];

let cleanupScaffold = () => {};

/**
 * The layout every provider package has: one file per job, the provider's name written once (as `PROVIDER` in
 * errors.ts), the credentials passed as `secrets`, helpers through `extend`, and no line over 120 characters
 * outside src/generated/.
 */
function expectProviderLayout(pkg) {
  const read = (file) => readFileSync(path.join(pkg, file), "utf8");
  for (const file of ["src/client.ts", "src/auth.ts", "src/errors.ts", "src/index.ts", "src/mini.ts", "README.md"]) {
    expect(existsSync(path.join(pkg, file)), file).toBe(true);
  }
  const errors = read("src/errors.ts");
  expect(errors).toContain('export const PROVIDER = "acme";');
  expect(errors).toContain("export const isAcmeError = providerErrorGuard<AcmeErrorCode, typeof PROVIDER>(PROVIDER);");
  expect(errors).toMatch(/export function describeAcmeError\(/);
  expect(read("src/auth.ts")).toMatch(/staticHeadersAuth\(\{[\s\S]*isRejected[\s\S]*describeRejection/);
  expect(read("src/client.ts")).toMatch(/secrets: \[apiKey\]/);
  expect(read("src/client.ts")).toMatch(/extend: \(client\) =>/);
  // The generated methods on the client, typed (so withOptions keeps them), and every schema as a named type.
  expect(read("src/client.ts")).toMatch(/import \{ methods, type Methods \} from "\.\/generated\/methods\.js"/);
  expect(read("src/client.ts")).toMatch(/ProviderClient<paths, AcmeHelpers, Methods>/);
  expect(read("src/client.ts")).toMatch(/^ {4}methods,$/m);
  expect(read("src/index.ts")).toContain('export type * from "./generated/types.js";');
  const methods = read("src/generated/methods.ts");
  // status.get is GET /health, whatever else the generator notes about it (the table's layout is its own).
  expect(methods).toMatch(/"?status"?: \{\s*"?get"?: getHealth,/);
  expect(read("src/generated/operations.ts")).toMatch(/export const getHealth = [^\n]*\("GET", "\/health"/);
  // The mini entry: the client without its tables, and the operations as functions.
  expect(read("src/mini.ts")).toContain('export { createAcmeMiniClient as createAcmeClient } from "./client.js";');
  expect(read("src/mini.ts")).toContain('export * from "./generated/operations.js";');
  expect(read("src/index.ts")).toMatch(/export \{ describeAcmeError, isAcmeError \} from "\.\/errors\.js"/);
  const test = read("test/client.test.ts");
  const uses = ["startTestServer", "recordingLogger", "FAST_RETRY", "withOptions", "inspect(", "JSON.stringify("];
  for (const used of uses) expect(test, used).toContain(used);
  const written = ["README.md", "test/client.test.ts", "test/types.test-d.ts"];
  written.push(
    ...readdirSync(path.join(pkg, "src"))
      .filter((f) => f.endsWith(".ts"))
      .map((f) => `src/${f}`),
  );
  for (const file of written) {
    const lines = read(file).split("\n");
    expect(
      lines.filter((line) => line.length > 120),
      file,
    ).toEqual([]);
    if (file.startsWith("src/") && file !== "src/errors.ts") expect(read(file), file).not.toContain('"acme"');
  }
}
afterEach(() => cleanupScaffold());

describe("new-provider input validation", () => {
  it.each([
    ["", /missing provider name/],
    ["Acme", /invalid provider name "Acme"/],
    ["core", /reserved for @x\/core/],
    ["demo", /specs\/demo\.yaml: already exists/],
  ])("rejects %j in one line", (name, pattern) => {
    expectOneLineError(node(fixture(), "new-provider.mjs", name ? [name] : []), pattern);
  });
});

describe("new-provider scaffold", () => {
  it("creates a package that generates, lints, builds and passes its own test", () => {
    // Only what a provider package needs (other providers in progress must not break this test), with its own
    // install: the scaffold runs `pnpm install`, which must not touch this repo's node_modules.
    // @x/testing runs on @x/sandbox (its loopback server and json), which parses CFONB with @x/cfonb.
    const packages = ["core", "testing", "sandbox", "cfonb"].map((p) => `packages/${p}`);
    const temp = tempRepo([...ROOT_FILES.filter((f) => existsSync(path.join(repo, f))), "scripts", ...packages], {
      linkNodeModules: false,
    });
    cleanupScaffold = temp.cleanup;
    const { dir } = temp;
    // Not frozen: the copied lockfile also lists packages left out of the copy. Prefer-offline, not offline: a first
    // install from a lockfile downloads tarballs but no package metadata, and resolving a changed lockfile needs it,
    // so on a fresh machine (empty HOME) `--offline` failed with ERR_PNPM_NO_OFFLINE_META.
    const install = run(dir, "pnpm", ["install", "--prefer-offline", "--no-frozen-lockfile", "--reporter=silent"]);
    expect(install.status, install.stderr + install.stdout).toBe(0);

    const created = node(dir, "new-provider.mjs", ["acme"]);
    expect(created.status, created.stderr + created.stdout).toBe(0);
    expect(existsSync(path.join(dir, "packages/acme/src/generated/schema.ts"))).toBe(true);

    const pkg = path.join(dir, "packages/acme");
    expectProviderLayout(pkg);
    for (const [cmd, args] of [
      [process.execPath, [path.join(dir, "scripts/lint-specs.mjs"), "acme"]],
      [process.execPath, [path.join(dir, "scripts/generate.mjs"), "--check", "acme"]],
      // `@x/acme...` builds @x/core first, from the copied sources: never a half-built dist of this repo.
      ["pnpm", ["--filter", "@x/acme...", "build"]],
      ["pnpm", ["--filter", "@x/acme", "typecheck"]],
      ["pnpm", ["--filter", "@x/acme", "test"]],
    ]) {
      const result = run(dir, cmd, args);
      expect(result.status, `${args.join(" ")}\n${result.stdout}${result.stderr}`).toBe(0);
    }
    expect(existsSync(path.join(pkg, "dist/index.d.cts"))).toBe(true);
  }, 600_000);
});

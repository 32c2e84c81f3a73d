import { existsSync } from "node:fs";
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
  it(
    "creates a package that generates, lints, builds and passes its own test",
    () => {
      // Only what a provider package needs (other providers in progress must not break this test), with its own
      // install: the scaffold runs `pnpm install`, which must not touch this repo's node_modules.
      const temp = tempRepo(
        [...ROOT_FILES.filter((f) => existsSync(path.join(repo, f))), "scripts", "packages/core", "packages/testing"],
        { linkNodeModules: false },
      );
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
    },
    180_000,
  );
});

import { spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");

/** Listed here independently of the script, so a script that silently skipped a package would fail this test. */
function publishable(): string[] {
  return readdirSync(path.join(root, "packages"))
    .map((dir) => path.join(root, "packages", dir, "package.json"))
    .filter((file) => existsSync(file))
    .map((file) => JSON.parse(readFileSync(file, "utf8")) as { name: string; private?: boolean })
    .filter((manifest) => manifest.private !== true)
    .map((manifest) => manifest.name)
    .sort();
}

interface Report {
  packages: string[];
  checks: {
    esm?: Record<string, number>;
    cjs?: Record<string, number>;
    types?: Record<"node16" | "bundler", string[]>;
    sandbox?: { echoed: string; stats: { requests: number; tokensIssued: Record<string, number> } };
  };
}

describe("consumer test", () => {
  // Packs, installs with npm and type-checks every package: slow by nature, and slower on a busy machine.
  it("every publishable package installs from its tarball with npm, imports from ESM, requires from CJS, type-checks (node16, bundler) and the installed sandbox answers a call", { timeout: 300_000 }, async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "x-consumer-report-"));
    const reportFile = path.join(dir, "report.json");
    try {
      const output: string[] = [];
      const code = await new Promise<number | null>((resolve) => {
        const child = spawn(process.execPath, [path.join(root, "scripts", "consumer-test.mjs")], { env: { ...process.env, CONSUMER_TEST_REPORT: reportFile } });
        child.stdout.on("data", (chunk: Buffer) => output.push(chunk.toString()));
        child.stderr.on("data", (chunk: Buffer) => output.push(chunk.toString()));
        child.on("close", resolve);
      });
      // Printed so the CI log shows what was checked, not only that it passed.
      console.log(output.join(""));
      expect(code, output.join("")).toBe(0);

      const report = JSON.parse(await readFile(reportFile, "utf8")) as Report;
      const expected = publishable();
      expect(report.packages.sort()).toEqual(expected);
      expect(Object.keys(report.checks.esm ?? {}).sort()).toEqual(expected);
      expect(Object.keys(report.checks.cjs ?? {}).sort()).toEqual(expected);
      expect(report.checks.types?.node16.slice().sort()).toEqual(expected);
      expect(report.checks.types?.bundler.slice().sort()).toEqual(expected);
      expect(report.checks.sandbox).toMatchObject({ echoed: "hello tarball", stats: { requests: 3, tokensIssued: { access: 1 } } });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

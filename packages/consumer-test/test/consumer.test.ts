import { spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");

interface Manifest {
  name: string;
  private?: boolean;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}

/** Listed here independently of the script, so a script that silently skipped a package would fail this test. */
function publishable(): Manifest[] {
  return readdirSync(path.join(root, "packages"))
    .map((dir) => path.join(root, "packages", dir, "package.json"))
    .filter((file) => existsSync(file))
    .map((file) => JSON.parse(readFileSync(file, "utf8")) as Manifest)
    .filter((manifest) => manifest.private !== true)
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** What each app must have done, also listed independently of the script: one step per provider and package. */
const APPS = ["esm", "cjs", "ts"] as const;
const STEPS = [
  "exports",
  "cfonb",
  "sandbox",
  "core",
  "october",
  "sfs",
  "finapi",
  "inqom",
  "saltedge",
  "saltedge-v3",
  "mini",
  "token-store-redis",
];

interface AppStep {
  step: string;
  ok: boolean;
  detail?: string;
  error?: string;
}

interface Report {
  packages: string[];
  checks: {
    apps?: Record<(typeof APPS)[number], { app: string; steps: AppStep[] }>;
    types?: Record<"node16" | "bundler" | "commonjs", string[]>;
    dependencies?: {
      required: Array<{ package: string; file: string; dependency: string; ok: boolean; problems: string[] }>;
      bundled: Array<{ package: string; dependency: string }>;
      declared: Array<{ package: string; dependency: string; ok: boolean; error?: string }>;
    };
  };
}

describe("consumer test", () => {
  // Packs, installs with npm, type-checks and runs three apps against the sandbox: slow by nature, and slower on a busy
  // machine.
  it("every publishable package installs from its tarball with npm; ESM, CommonJS and " +
    "TypeScript-compiled-to-CommonJS apps build a client of every provider and use it against the installed sandbox; " +
    "the CJS builds' dependencies load from CommonJS", {
    timeout: 300_000,
  }, async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "x-consumer-report-"));
    const reportFile = path.join(dir, "report.json");
    try {
      const output: string[] = [];
      const code = await new Promise<number | null>((resolve) => {
        const child = spawn(process.execPath, [path.join(root, "scripts", "consumer-test.mjs")], {
          env: { ...process.env, CONSUMER_TEST_REPORT: reportFile },
        });
        child.stdout.on("data", (chunk: Buffer) => output.push(chunk.toString()));
        child.stderr.on("data", (chunk: Buffer) => output.push(chunk.toString()));
        child.on("close", resolve);
      });
      // Printed so the CI log shows what was checked, not only that it passed.
      console.log(output.join(""));
      // The script's own message lists each failure as "<app> app, <step>: <what was expected, what came>".
      expect(code, output.join("")).toBe(0);

      const report = JSON.parse(await readFile(reportFile, "utf8")) as Report;
      const manifests = publishable();
      const expected = manifests.map((m) => m.name);
      expect(report.packages.slice().sort()).toEqual(expected);

      for (const app of APPS) {
        const steps = report.checks.apps?.[app]?.steps ?? [];
        const broken = steps.filter((s) => !s.ok).map((s) => `${app} app, ${s.step}: ${s.error}`);
        expect(broken, `${app} app`).toEqual([]);
        expect(steps.map((s) => s.step).sort(), `${app} app: steps run`).toEqual(STEPS.slice().sort());
        // Every publishable package was loaded by every app, new ones included.
        const exported = steps.find((s) => s.step === "exports")?.detail ?? "";
        for (const name of expected) expect(exported, `${app} app loaded ${name}`).toMatch(new RegExp(`${name} \\d+`));
        expect(steps.find((s) => s.step === "core")?.detail, `${app} app, core`).toBe(
          'echoed "hello tarball" with 1 token for 3 requests',
        );
        // Each provider's mini entry: its client without the method table, one operation called as a function.
        expect(steps.find((s) => s.step === "mini")?.detail, `${app} app, mini`).toBe(
          "october getRequest, sfs listClients, finapi createUser, saltedge listCountries, inqom createCfonbAccount",
        );
      }

      for (const resolution of ["node16", "bundler", "commonjs"] as const)
        expect(report.checks.types?.[resolution]?.slice().sort(), resolution).toEqual(expected);

      const dependencies = report.checks.dependencies;
      expect(
        dependencies?.required.filter((r) => !r.ok).flatMap((r) => r.problems) ?? ["no dependency report"],
      ).toEqual([]);
      expect(dependencies?.declared.filter((d) => !d.ok).map((d) => d.error) ?? ["no dependency report"]).toEqual([]);
      const declared = manifests.flatMap((m) =>
        Object.keys({ ...m.dependencies, ...m.peerDependencies })
          .filter((dependency) => !dependency.startsWith("@x/"))
          .map((dependency) => `${m.name} -> ${dependency}`),
      );
      expect(dependencies?.declared.map((d) => `${d.package} -> ${d.dependency}`).sort()).toEqual(declared.sort());
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

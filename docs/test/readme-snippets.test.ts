import { spawnSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync, existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

// Every ```ts block of every README a user reads is compiled, as its own module, under the repo's strict
// tsconfig.base.json (noUncheckedIndexedAccess included), against the packages' built declarations: a snippet that
// no longer compiles is a broken promise to a reader. Blocks must therefore be self-contained (imports included).
const docs = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const repo = path.resolve(docs, "..");
const out = path.join(docs, ".snippets");

function readmes(): string[] {
  const files = [path.join(repo, "README.md")];
  for (const group of ["packages", "examples"]) {
    for (const name of readdirSync(path.join(repo, group)).sort()) {
      const file = path.join(repo, group, name, "README.md");
      if (existsSync(file)) files.push(file);
    }
  }
  return files;
}

interface Snippet {
  /** "packages/finapi/README.md:42", where the block starts. */
  origin: string;
  file: string;
  code: string;
}

function extract(): Snippet[] {
  const snippets: Snippet[] = [];
  for (const readme of readmes()) {
    const text = readFileSync(readme, "utf8");
    const relative = path.relative(repo, readme);
    // A fence may be tagged ts or typescript and indented (a block inside a list item): both are read.
    for (const match of text.matchAll(/^([ \t]*)```(?:ts|typescript)[ \t]*\n([\s\S]*?)^\1```[ \t]*$/gm)) {
      const indent = match[1] as string;
      const line = text.slice(0, match.index).split("\n").length;
      const file = `${relative.replace(/[/.]/g, "_")}_${line}.ts`;
      const code = (match[2] as string)
        .split("\n")
        .map((l) => (l.startsWith(indent) ? l.slice(indent.length) : l))
        .join("\n");
      snippets.push({ origin: `${relative}:${line}`, file, code });
    }
  }
  return snippets;
}

describe("README code blocks", () => {
  it("every ```ts block compiles under the strict tsconfig.base.json", { timeout: 180_000 }, () => {
    const snippets = extract();
    expect(snippets.length).toBeGreaterThan(20);
    rmSync(out, { recursive: true, force: true });
    mkdirSync(out, { recursive: true });
    for (const s of snippets) writeFileSync(path.join(out, s.file), `${s.code}\nexport {};\n`);
    writeFileSync(
      path.join(out, "tsconfig.json"),
      JSON.stringify({ extends: "../../tsconfig.base.json", include: ["*.ts"] }, null, 2),
    );
    const tsc = path.join(repo, "node_modules", "typescript", "bin", "tsc");
    const result = spawnSync(process.execPath, [tsc, "-p", path.join(out, "tsconfig.json")], { encoding: "utf8" });
    // Map each diagnostic back to the README line it comes from.
    const byFile = new Map(snippets.map((s) => [s.file, s.origin]));
    const problems = (result.stdout + result.stderr)
      .split("\n")
      .filter((l) => /^\S+\.ts\(\d+,\d+\): error/.test(l))
      .map((l) => {
        const [, file, line, rest] = l.match(/^(\S+\.ts)\((\d+),\d+\): (.*)$/) ?? [];
        const origin = byFile.get(path.basename(file ?? ""));
        if (!origin) return l;
        const [readme, start] = origin.split(":");
        return `${readme}:${Number(start) + Number(line)}: ${rest}`;
      });
    expect(problems).toEqual([]);
    // A failure that is not a diagnostic of a snippet (a bad tsconfig, a crash) is shown as tsc printed it.
    expect(result.status, result.stdout + result.stderr).toBe(0);
  });
});

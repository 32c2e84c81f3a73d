import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";

// Every ```ts block a user reads (every README, every page under docs/) is compiled, as its own module, under the
// repo's strict tsconfig.base.json (noUncheckedIndexedAccess included), against the packages' built declarations: a
// snippet that no longer compiles is a broken promise to a reader. Blocks must therefore be self-contained (imports
// included). A block fenced ```ts run is also executed (Node with tsx's loader), as a user would paste it: it starts
// the sandbox itself, makes real calls and closes it; a throw, a non-zero exit or a hang fails the test with the
// README line.
const docs = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const repo = path.resolve(docs, "..");
const out = path.join(docs, ".snippets");
/** A runnable block's time limit: the sandbox starts in well under a second, a block makes a few local calls. */
const RUN_TIMEOUT_MS = 60_000;

/** The Markdown pages under docs/, at any depth (docs/recipes/...), outside dependencies and generated output. */
function docPages(dir: string): string[] {
  const pages: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    if (entry.name === "node_modules" || entry.name.startsWith(".")) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) pages.push(...docPages(full));
    else if (entry.name.endsWith(".md")) pages.push(full);
  }
  return pages;
}

function pages(): string[] {
  const files = [path.join(repo, "README.md")];
  for (const group of ["packages", "examples"]) {
    for (const name of readdirSync(path.join(repo, group)).sort()) {
      const file = path.join(repo, group, name, "README.md");
      if (existsSync(file)) files.push(file);
    }
  }
  return [...files, ...docPages(docs)];
}

interface Snippet {
  /** "packages/finapi/README.md:42", where the block's fence is. */
  origin: string;
  file: string;
  code: string;
  /** Fenced ```ts run: executed against the sandbox as well as compiled. */
  run: boolean;
}

/** A fence tagged ts or typescript, maybe `run`, maybe indented (a block inside a list item). */
const FENCE = /^([ \t]*)```(?:ts|typescript)([ \t]+run)?[ \t]*\n([\s\S]*?)^\1```[ \t]*$/gm;
/** docs/writing-a-provider.md's blocks are copies of docs/samples/*.ts, compiled and run by samples.test.ts. */
const SAMPLE_COPY = /<!-- sample: \S+ -->\n$/;

function extract(): Snippet[] {
  const snippets: Snippet[] = [];
  for (const page of pages()) {
    const text = readFileSync(page, "utf8");
    const relative = path.relative(repo, page);
    for (const match of text.matchAll(FENCE)) {
      if (SAMPLE_COPY.test(text.slice(0, match.index))) continue;
      const indent = match[1] as string;
      const line = text.slice(0, match.index).split("\n").length;
      const file = `${relative.replace(/[/.]/g, "_")}_${line}.ts`;
      const code = (match[3] as string)
        .split("\n")
        .map((l) => (l.startsWith(indent) ? l.slice(indent.length) : l))
        .join("\n");
      snippets.push({ origin: `${relative}:${line}`, file, code, run: match[2] !== undefined });
    }
  }
  return snippets;
}

const snippets = extract();
const byFile = new Map(snippets.map((s) => [s.file, s.origin]));

/** `<page>:<line>` of line `line` (1-based) of a snippet's file: the fence's line plus that many. */
function pageLine(file: string, line: number): string | undefined {
  const origin = byFile.get(file);
  if (!origin) return undefined;
  const [page, start] = origin.split(":");
  return `${page}:${Number(start) + line}`;
}

beforeAll(() => {
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  for (const s of snippets) writeFileSync(path.join(out, s.file), `${s.code}\nexport {};\n`);
  writeFileSync(
    path.join(out, "tsconfig.json"),
    JSON.stringify({ extends: "../../tsconfig.base.json", include: ["*.ts"] }, null, 2),
  );
});

describe("README and docs code blocks", () => {
  it("every ```ts block compiles under the strict tsconfig.base.json", { timeout: 180_000 }, () => {
    expect(snippets.length).toBeGreaterThan(20);
    const tsc = path.join(repo, "node_modules", "typescript", "bin", "tsc");
    const result = spawnSync(process.execPath, [tsc, "-p", path.join(out, "tsconfig.json")], { encoding: "utf8" });
    // Map each diagnostic back to the page line it comes from.
    const problems = (result.stdout + result.stderr)
      .split("\n")
      .filter((l) => /^\S+\.ts\(\d+,\d+\): error/.test(l))
      .map((l) => {
        const [, file, line, rest] = l.match(/^(\S+\.ts)\((\d+),\d+\): (.*)$/) ?? [];
        const where = pageLine(path.basename(file ?? ""), Number(line));
        return where ? `${where}: ${rest}` : l;
      });
    expect(problems).toEqual([]);
    // A failure that is not a diagnostic of a snippet (a bad tsconfig, a crash) is shown as tsc printed it.
    expect(result.status, result.stdout + result.stderr).toBe(0);
  });
});

interface RunResult {
  code: number | null;
  output: string;
  timedOut: boolean;
}

/**
 * Runs one snippet file in a child Node with tsx's loader, killed after RUN_TIMEOUT_MS. The loader (`--import`), not
 * tsx's CLI: the CLI runs the file in a grandchild, which a kill of the child would leave running, holding the pipes.
 */
function runSnippet(file: string): Promise<RunResult> {
  const loader = pathToFileURL(path.join(repo, "node_modules", "tsx", "dist", "loader.mjs")).href;
  // Logging switched on in the test's environment would only add noise to a block's output.
  const { X_LOG: _, ...env } = process.env;
  const args = ["--import", loader, path.join(out, file)];
  const child = spawn(process.execPath, args, { cwd: out, env, stdio: "pipe" });
  let output = "";
  child.stdout.on("data", (chunk) => (output += chunk));
  child.stderr.on("data", (chunk) => (output += chunk));
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill("SIGKILL");
  }, RUN_TIMEOUT_MS);
  return new Promise((resolve) => {
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, output, timedOut });
    });
  });
}

/** A child's output with every `<snippet>.ts:<line>` replaced by the page line it comes from. */
function toPageLines(output: string): string {
  return output.replace(/(?:file:\/\/)?[^\s(]*?([\w-]+\.ts):(\d+)(?::\d+)?/g, (whole, file: string, line: string) => {
    return pageLine(file, Number(line)) ?? whole;
  });
}

const runnable = snippets.filter((s) => s.run);
describe.runIf(runnable.length > 0)("```ts run blocks", () => {
  it.each(runnable.map((s) => [s.origin, s] as const))(
    "%s runs against the sandbox",
    async (_, snippet) => {
      const result = await runSnippet(snippet.file);
      const output = toPageLines(result.output);
      // The first line of the output that names a line of the page is where the block failed; an error raised in a
      // promise chain may carry no frame of the block, and then the block's first line is all there is to name.
      const page = snippet.origin.split(":")[0] as string;
      const where =
        output
          .split("\n")
          .find((l) => l.includes(`${page}:`))
          ?.trim() ?? "no stack frame in the block";
      const verdict = result.timedOut ? `hung for ${RUN_TIMEOUT_MS} ms (a server left open?)` : `exited ${result.code}`;
      expect(result.code === 0 && !result.timedOut, `${snippet.origin}: ${verdict} (${where})\n${output}`).toBe(true);
    },
    RUN_TIMEOUT_MS + 10_000,
  );
});

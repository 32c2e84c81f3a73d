#!/usr/bin/env node
// Lints every specs/*.yaml with Redocly (rules in redocly.yaml); one line per failing spec, exit 1 if any fails.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import { UserError, root, run } from "./lib/repo.mjs";

const redocly = path.join(root, "node_modules", ".bin", process.platform === "win32" ? "redocly.cmd" : "redocly");

/** Redocly prints codeframes and a count; keep the count and the first problem so one line says what is wrong. */
function summarize(output) {
  const parse = output.match(/Failed to parse[^\n]*\n+\s*-\s*(.+?) in "[^"]*" \((\d+):(\d+)\)/);
  if (parse) return `invalid YAML at line ${parse[2]}:${parse[3]}: ${parse[1]}`;
  const problem = output.match(/\[\d+\]\s+\S+:(\d+):\d+ at \S+\s*\n+\s*(.+)/);
  const count = output.match(/(\d+ errors?)/);
  const first = problem ? `line ${problem[1]}: ${problem[2].trim()}` : output.trim().split("\n").pop().trim();
  return `${count ? `${count[1]}; first: ` : ""}${first}`;
}

async function main(argv) {
  const specs = (argv.length ? argv.map((a) => `${a}.yaml`) : readdirSync(path.join(root, "specs")))
    .filter((f) => f.endsWith(".yaml"))
    .sort();
  for (const spec of specs) {
    if (!existsSync(path.join(root, "specs", spec)))
      throw new UserError(`specs/${spec}: unknown provider (no such spec)`);
  }
  let failed = 0;
  for (const spec of specs) {
    const file = `specs/${spec}`;
    const result = spawnSync(redocly, ["lint", file, "--format=codeframe"], {
      cwd: root,
      encoding: "utf8",
      // Redocly would otherwise phone home and print an update banner on every run.
      env: { ...process.env, REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_UPDATE_NOTICE: "true", NO_COLOR: "1" },
    });
    if (result.error) throw new UserError(`${file}: cannot run redocly (${result.error.message})`);
    if (result.status === 0) {
      console.log(`lint-specs: ${file} ok`);
    } else {
      failed++;
      console.error(`lint-specs: ${file}: ${summarize(`${result.stdout}\n${result.stderr}`)}`);
    }
  }
  if (specs.length === 0) console.log("lint-specs: no specs yet");
  return failed ? 1 : 0;
}

await run("lint-specs", () => main(process.argv.slice(2)));

#!/usr/bin/env node
// node scripts/line-length.mjs: fails listing every line over 120 characters in the repo's code (TypeScript and
// JavaScript tracked by git), outside `src/generated/`. The formatter wraps code at 120; this catches what it cannot
// wrap (comments, strings, template literals), so `pnpm lint` holds the limit the formatter cannot.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { UserError, root, run } from "./lib/repo.mjs";

const MAX = 120;
const CODE = /\.(ts|mts|cts|js|mjs|cjs)$/;

function trackedCode() {
  const out = execFileSync("git", ["ls-files", "-z"], { cwd: root, encoding: "utf8" });
  return out.split("\0").filter((file) => CODE.test(file) && !file.includes("/src/generated/"));
}

await run("line-length", () => {
  const long = [];
  for (const file of trackedCode()) {
    readFileSync(path.join(root, file), "utf8")
      .split("\n")
      .forEach((line, i) => {
        if (line.length > MAX) long.push(`${file}:${i + 1} (${line.length})`);
      });
  }
  if (long.length)
    throw new UserError(`${long.length} line(s) over ${MAX} characters; wrap them:\n  ${long.join("\n  ")}`);
  console.log(`line-length: every code line is at most ${MAX} characters`);
  return 0;
});

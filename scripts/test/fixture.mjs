import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, expect } from "vitest";
import { SPEC, tempRepo } from "./helpers.mjs";

let cleanup = () => {};
afterEach(() => cleanup());

/**
 * A temp repo with only the scripts and one spec + its package dir: enough for generate, lint-specs and name checks.
 */
export function fixture(spec = SPEC) {
  const temp = tempRepo(["scripts", "redocly.yaml", "package.json"]);
  cleanup = temp.cleanup;
  mkdirSync(path.join(temp.dir, "specs"));
  mkdirSync(path.join(temp.dir, "packages", "demo"), { recursive: true });
  writeFileSync(path.join(temp.dir, "specs", "demo.yaml"), spec);
  return temp.dir;
}

/** Scripts report user errors as exactly one line on stderr naming the file, with a non-zero exit. */
export function expectOneLineError(result, pattern) {
  expect(result.status).not.toBe(0);
  const lines = result.stderr.trim().split("\n");
  expect(lines, result.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(pattern);
}

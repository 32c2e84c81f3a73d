#!/usr/bin/env node
// Runs every bench/*.bench.mjs and bench/*.bench.ts (through tsx) in name order and prints each one's rows as a table.
// Contract of a bench file: `export default async function () { return rows }`, rows being flat objects (see lib.mjs).
import { readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { tsImport } from "tsx/esm/api";

const dir = path.dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
const files = readdirSync(dir)
  .filter((f) => /\.bench\.(mjs|ts)$/.test(f))
  .filter((f) => only.length === 0 || only.some((o) => f.startsWith(o)))
  .sort();

function table(rows) {
  const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const cells = rows.map((r) => columns.map((c) => String(r[c] ?? "")));
  const widths = columns.map((c, i) => Math.max(c.length, ...cells.map((row) => row[i].length)));
  const line = (values) =>
    values
      .map((v, i) => (/^-?[\d.]+$/.test(v) ? v.padStart(widths[i]) : v.padEnd(widths[i])))
      .join("  ")
      .trimEnd();
  return [line(columns), widths.map((w) => "-".repeat(w)).join("  "), ...cells.map(line)].join("\n");
}

if (files.length === 0) console.log("bench: no bench/*.bench.{mjs,ts} files");
let failed = 0;
for (const file of files) {
  const full = path.join(dir, file);
  try {
    const mod = file.endsWith(".ts")
      ? await tsImport(pathToFileURL(full).href, import.meta.url)
      : await import(pathToFileURL(full).href);
    const rows = await mod.default();
    console.log(`\n${file}\n${table(rows)}`);
  } catch (err) {
    // One broken bench should not hide the others' results.
    failed++;
    console.error(`\n${file}: FAILED: ${err instanceof Error ? err.message : String(err)}`);
  }
}
process.exitCode = failed ? 1 : 0;

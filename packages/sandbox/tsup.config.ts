import { cp } from "node:fs/promises";
import { defineConfig } from "tsup";

// One config (not an array) so `clean` cannot race a second build writing into dist/.
export default defineConfig({
  entry: ["src/index.ts", "src/cli.ts"],
  format: ["esm", "cjs"],
  // The CLI is only executed, never imported: it needs no type declarations.
  dts: { entry: ["src/index.ts"] },
  clean: true,
  sourcemap: true,
  target: "es2022",
  // The dashboard reads its page from `new URL("./dashboard/", import.meta.url)`: shimmed in the CJS build, and the
  // page copied next to the bundles, so the built package serves it with no build step at run time.
  shims: true,
  onSuccess: () => cp("src/dashboard", "dist/dashboard", { recursive: true }),
});

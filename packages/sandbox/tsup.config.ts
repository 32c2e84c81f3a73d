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
});

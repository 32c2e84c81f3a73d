import { defineConfig } from "tsup";

// One config (not an array) so `clean` cannot race a second build writing into dist/. The @x packages stay external
// (dependencies); the providers' generated operations tables, imported by relative path, are bundled.
export default defineConfig({
  entry: ["src/index.ts", "src/main.ts"],
  format: ["esm", "cjs"],
  // The bin is only executed, never imported: it needs no type declarations.
  dts: { entry: ["src/index.ts"] },
  clean: true,
  sourcemap: true,
  target: "es2022",
});

import { defineConfig } from "tsup";

export default defineConfig({
  // "@x/saltedge" (API v6), "@x/saltedge/mini" (v6 with operation functions instead of methods) and "@x/saltedge/v3"
  // (the v3 apps API); shared code goes to common chunks.
  entry: { index: "src/index.ts", mini: "src/mini.ts", v3: "src/v3/index.ts" },
  format: ["esm", "cjs"],
  dts: true,
  clean: true,
  sourcemap: true,
  target: "es2022",
});

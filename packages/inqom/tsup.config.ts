import { defineConfig } from "tsup";

export default defineConfig({
  entry: ["src/index.ts", "src/cfonb.ts", "src/mini.ts"],
  format: ["esm", "cjs"],
  dts: true,
  clean: true,
  sourcemap: true,
  target: "es2022",
  // Keep `node:fs` as written: Deno and edge bundlers resolve
  // only the prefixed name of the (dynamic, Node-only) import.
  removeNodeProtocol: false,
});

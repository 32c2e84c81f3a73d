import { defineConfig } from "tsup";

// A command, never imported: one ESM bundle, no type declarations. The @x packages stay external (dependencies).
export default defineConfig({
  entry: ["src/main.ts"],
  format: ["esm"],
  clean: true,
  sourcemap: true,
  target: "es2022",
});

import { defineConfig } from "tsup";

export default defineConfig({
  entry: ["src/index.ts"],
  format: ["esm", "cjs"],
  dts: true,
  clean: true,
  sourcemap: true,
  target: "es2022",
  // openapi-fetch is bundled, not required: core is an ESM package ("type": "module"), so esbuild's CommonJS build
  // gives `require("openapi-fetch")` Node's interop (default = module.exports) and `createClient` was the module
  // object, crashing every CommonJS app on its first client. Bundled, both formats call the same function, and
  // core has no runtime dependency (openapi-fetch stays a dependency for the types its declarations import).
  noExternal: ["openapi-fetch"],
});

import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    // `vitest run` also type-checks test/**/*.test-d.ts (what
    // users rely on at compile time) with this package's tsconfig.
    typecheck: { enabled: true, include: ["test/**/*.test-d.ts"], tsconfig: "./tsconfig.json" },
  },
});

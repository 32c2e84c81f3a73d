import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    // Several tests generate RSA-2048 keys (a second of CPU each on a loaded 2-core machine) before their requests.
    testTimeout: 20_000,
    // `vitest run` also type-checks test/**/*.test-d.ts (what
    // users rely on at compile time) with this package's tsconfig.
    typecheck: { enabled: true, include: ["test/**/*.test-d.ts"], tsconfig: "./tsconfig.json" },
  },
});

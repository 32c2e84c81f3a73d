import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    // Starts one real redis-server for the run (installing it when missing and allowed); see test/global-setup.ts.
    globalSetup: ["./test/global-setup.ts"],
    testTimeout: 20_000,
    hookTimeout: 20_000,
  },
});

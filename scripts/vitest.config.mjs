import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    // These tests spawn node, pnpm, tsup and tsc; on a busy 2-core CI machine each can take seconds.
    testTimeout: 60_000,
  },
});

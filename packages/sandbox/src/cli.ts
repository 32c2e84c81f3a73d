#!/usr/bin/env node
// x-sandbox [--port N]: starts every registered emulator and prints where it listens and what credentials it accepts.
import { parseArgs } from "node:util";
import { startSandbox, type ProviderName } from "./sandbox.js";

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { port: { type: "string", default: "0" } } });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`--port must be an integer between 0 and 65535, got "${values.port}"`);
  }

  const sandbox = await startSandbox({ port });
  console.log("x-sandbox: emulators listening (stats at <url>/__sandbox/stats)\n");
  for (const name of Object.keys(sandbox.urls) as ProviderName[]) {
    const { url, demoCredentials } = sandbox.provider(name);
    const credentials = Object.entries(demoCredentials)
      .map(([key, value]) => `${key}=${value}`)
      .join("  ");
    console.log(`  ${name.padEnd(10)} ${url.padEnd(24)} ${credentials}`);
  }
  console.log("\nPress Ctrl+C to stop.");

  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      void sandbox.close().then(() => process.exit(0));
    });
  }
}

main().catch((err: unknown) => {
  console.error(`x-sandbox: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});

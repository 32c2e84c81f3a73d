#!/usr/bin/env node
// x-sandbox: starts the emulators and the dashboard, prints where they listen and what credentials they accept.
import { parseArgs } from "node:util";
import { emulators } from "./emulators/index.js";
import { startSandbox, type ProviderName, type Sandbox } from "./sandbox.js";

const HELP = `Usage: x-sandbox [options]

Starts local emulators of the @x providers on 127.0.0.1 and a live dashboard page (requests, refusal reasons,
tokens, faults, callbacks). Ctrl+C stops.

Options:
  --providers a,b        start only these providers (default: all: ${Object.keys(emulators).join(", ")})
  --port N               the i-th started provider listens on N + i (default 0: free ports picked by the OS)
  --ports name=N,...     a fixed port per provider, e.g. finapi=4001,saltedge=4002 (wins over --port)
  --host H               interface the emulators listen on (default 127.0.0.1)
  --dashboard-port N     the dashboard's port (default 0: a free port); the dashboard is always on 127.0.0.1
  --no-dashboard         do not serve the dashboard
  --json                 print one JSON line { dashboard, providers: { name: { url, demoCredentials } } }
  -h, --help             show this help

Exit codes: 0 stopped by Ctrl+C or SIGTERM, 1 could not start (e.g. a port in use), 2 invalid options.`;

/** A mistake in the command line: exit code 2, as CLI conventions have it. */
class UsageError extends Error {}

function port(name: string, value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n > 65535) throw new UsageError(`${name} must be an integer in 0..65535, got "${value}"`);
  return n;
}

function providerName(name: string): ProviderName {
  if (!(name in emulators)) {
    throw new UsageError(`unknown provider "${name}"; available: ${Object.keys(emulators).join(", ")}`);
  }
  return name as ProviderName;
}

function parse(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    options: {
      providers: { type: "string" },
      port: { type: "string", default: "0" },
      ports: { type: "string" },
      host: { type: "string", default: "127.0.0.1" },
      "dashboard-port": { type: "string", default: "0" },
      "no-dashboard": { type: "boolean", default: false },
      json: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  const ports: Partial<Record<ProviderName, number>> = {};
  for (const pair of values.ports?.split(",").filter(Boolean) ?? []) {
    const [name = "", value = ""] = pair.split("=");
    ports[providerName(name.trim())] = port(`--ports ${name}`, value.trim());
  }
  return {
    help: values.help,
    json: values.json,
    providers: values.providers?.split(",").map((name) => providerName(name.trim())),
    port: port("--port", values.port),
    ports,
    host: values.host,
    dashboard: values["no-dashboard"] ? undefined : port("--dashboard-port", values["dashboard-port"]),
  };
}

/** A credential on one table line: a multi-line PEM key would break the table, so it is summarised. */
function oneLine(value: string): string {
  const pem = /-----BEGIN ([A-Z ]+)-----/.exec(value);
  if (pem) return `<PEM ${pem[1]?.toLowerCase()}, ${value.trim().split("\n").length} lines: --json prints it>`;
  return value.replace(/\s+/g, " ");
}

function printTable(sandbox: Sandbox): void {
  if (sandbox.dashboardUrl) console.log(`x-sandbox: dashboard at ${sandbox.dashboardUrl}`);
  console.log("x-sandbox: emulators listening (stats at <url>/__sandbox/stats)\n");
  for (const [name, url] of Object.entries(sandbox.urls) as Array<[ProviderName, string]>) {
    const credentials = Object.entries(sandbox.provider(name).demoCredentials)
      .map(([key, value]) => `${key}=${oneLine(String(value))}`)
      .join("  ");
    console.log(`  ${name.padEnd(12)} ${url.padEnd(24)} ${credentials}`);
  }
  console.log("\nPress Ctrl+C to stop.");
}

async function main(): Promise<void> {
  const options = parse(process.argv.slice(2));
  if (options.help) {
    console.log(HELP);
    return;
  }
  const sandbox = await startSandbox({
    ...(options.providers ? { providers: options.providers } : {}),
    port: options.port,
    ports: options.ports,
    host: options.host,
    ...(options.dashboard === undefined ? {} : { dashboard: { port: options.dashboard } }),
  });
  if (options.json) {
    const providers = Object.fromEntries(
      Object.entries(sandbox.urls).map(([name, url]) => {
        const { demoCredentials } = sandbox.provider(name as ProviderName);
        return [name, { url, demoCredentials }];
      }),
    );
    console.log(JSON.stringify({ dashboard: sandbox.dashboardUrl ?? null, providers }));
  } else {
    printTable(sandbox);
  }

  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      void sandbox.close().then(() => process.exit(0));
    });
  }
}

function explain(err: unknown): string {
  const error = err as NodeJS.ErrnoException & { port?: number };
  if (error.code === "EADDRINUSE") return `port ${error.port} is in use; pick another with --port or --ports`;
  if (error.code === "ERR_PARSE_ARGS_UNKNOWN_OPTION" || error.code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE") {
    return `${error.message.split("\n")[0]} (see x-sandbox --help)`;
  }
  return err instanceof Error ? err.message : String(err);
}

main().catch((err: unknown) => {
  const usage = err instanceof UsageError || String((err as { code?: unknown }).code).startsWith("ERR_PARSE_ARGS");
  console.error(`x-sandbox: ${explain(err)}`);
  process.exit(usage ? 2 : 1);
});

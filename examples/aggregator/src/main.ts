// pnpm demo: starts the sandbox in-process, runs every flow, prints one summary table; exits 1 if any flow failed.
import { startSandbox, type ProviderName } from "@x/sandbox";
import { flows } from "./flows/index.js";
import { formatTable, runFlows } from "./run.js";

const sandbox = await startSandbox({ providers: [...new Set(flows.map((f) => f.provider as ProviderName))] });
try {
  const rows = await runFlows(flows, sandbox);
  console.log(`\n${formatTable(rows)}\n`);
  const failed = rows.filter((r) => !r.ok).length;
  console.log(failed ? `${failed} of ${rows.length} flow(s) failed.` : `All ${rows.length} flow(s) passed.`);
  const { clientId, clientSecret } = sandbox.demoCredentials.finapi ?? { clientId: "", clientSecret: "" };
  console.log(
    [
      "",
      "Next, by hand (from the repository root):",
      "  node packages/sandbox/bin/x-sandbox.js --ports finapi=4001     emulators + a live dashboard of every request,",
      "                                                                 refusal reason, token and fault (--help)",
      `  FINAPI_CLIENT_ID=${clientId} FINAPI_CLIENT_SECRET=${clientSecret} FINAPI_BASE_URL=http://127.0.0.1:4001 \\`,
      "    node packages/cli/bin/x.js token finapi                      a token's expiry and scopes (x --help: call,",
      "                                                                 verify-callback saltedge, cfonb <file>)",
      "  (@x/cli is built by: pnpm turbo build --filter=@x/cli...; in an app: npx x-sandbox, npx x)",
    ].join("\n"),
  );
  process.exitCode = failed ? 1 : 0;
} finally {
  await sandbox.close();
}

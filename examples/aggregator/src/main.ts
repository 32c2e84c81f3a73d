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
  process.exitCode = failed ? 1 : 0;
} finally {
  await sandbox.close();
}

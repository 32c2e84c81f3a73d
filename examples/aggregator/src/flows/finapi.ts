import { createFinapiClient, type FinapiClient } from "@x/finapi";
import type { Flow, FlowContext } from "./types.js";

const realEnv = ["FINAPI_CLIENT_ID", "FINAPI_CLIENT_SECRET"];

/**
 * Against the sandbox both finAPI hosts are the one emulator; against finAPI the client runs
 * in `FINAPI_ENVIRONMENT` (default "sandbox": finAPI hands out sandbox credentials first).
 */
function finapiFor({ real, env, sandboxUrl, demoCredentials }: FlowContext): FinapiClient {
  if (real) {
    return createFinapiClient({
      clientId: env.FINAPI_CLIENT_ID ?? "",
      clientSecret: env.FINAPI_CLIENT_SECRET ?? "",
      environment: env.FINAPI_ENVIRONMENT === "production" ? "production" : "sandbox",
    });
  }
  return createFinapiClient({
    clientId: demoCredentials.clientId ?? "",
    clientSecret: demoCredentials.clientSecret ?? "",
    accessUrl: sandboxUrl,
    processControllerUrl: sandboxUrl,
    webFormUrl: sandboxUrl,
  });
}

/**
 * Sandbox only: does what the user's browser does on the web form's page (open it, press "complete"). Against
 * finAPI the user opens the URL themselves; the flow prints it and waits.
 */
async function completeWebForm(url: string, real: boolean): Promise<void> {
  if (real) {
    console.log(`finapi: open ${url} to import a bank connection (the flow waits up to 20 minutes)`);
    return;
  }
  await (await fetch(url)).text();
  const done = await fetch(url, { method: "POST", body: new URLSearchParams({ outcome: "COMPLETED" }) });
  if (!done.ok) throw new Error(`the sandbox web form answered ${done.status}`);
  await done.text();
}

/**
 * User flow, as an account-information app runs it with Access V2: a new user imports a bank connection through a
 * Web Form 2.0 web form, then its accounts (one list) and transactions (20 a page, bankView) are read, a background
 * update runs as a task, and the user is deleted again.
 */
const userFlow: Flow = {
  provider: "finapi",
  name: "user + web form import + transactions by page",
  realEnv,
  async run(ctx) {
    const finapi = finapiFor(ctx);
    const created = await finapi.users.create({});
    const user = finapi.forUser({ userId: created.id, password: created.password });
    try {
      const webForm = await user.importBankConnection({ bankConnectionName: "x demo" });
      await completeWebForm(webForm.url, ctx.real);
      const imported = await user.waitForWebForm(webForm.id, { intervalMs: ctx.real ? 2000 : 20 });
      if (imported.status !== "COMPLETED" || imported.bankConnectionId === undefined) {
        return { result: `web form ended ${imported.status}; nothing imported` };
      }
      const { accounts } = await user.accounts.list();
      let pages = 0;
      let count = 0;
      let income = 0;
      for await (const page of user.transactions.list({ view: "bankView", perPage: 20 }).pages()) {
        pages++;
        count += page.length;
        for (const transaction of page) if (transaction.amount > 0) income += transaction.amount;
      }
      const task = await user.updateBankConnection({
        bankConnectionId: imported.bankConnectionId,
        importNewAccountsMode: null,
      });
      const updated = await user.waitForTask(task.id, { intervalMs: ctx.real ? 2000 : 20 });
      return {
        result:
          `${accounts.length} accounts, ${count} transactions in ${pages} pages, income ${income.toFixed(2)} EUR,` +
          ` update ${updated.status}`,
      };
    } finally {
      await user.deleteUser();
    }
  },
};

/** Process flow: one Process Controller process, its token exchanged once, one Access call with it. */
const processFlow: Flow = {
  provider: "finapi",
  name: "process + 1 call",
  realEnv,
  async run(ctx) {
    const { client } = await finapiFor(ctx).startProcess({ clientReference: `x-demo-${Date.now()}` });
    const { connections } = await client.bankConnections.list();
    return { result: `process user has ${connections.length} bank connection(s)` };
  },
};

export const finapiFlows: Flow[] = [userFlow, processFlow];

import { createFinapiClient, iterateTransactions, type FinapiClient } from "@x/finapi";
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
  });
}

/** User flow: a new user, all its transactions page by page (20 a page), then the user is deleted again. */
const userFlow: Flow = {
  provider: "finapi",
  name: "user + transactions by page",
  realEnv,
  async run(ctx) {
    const finapi = finapiFor(ctx);
    const created = await finapi.createUser();
    const user = finapi.forUser({ userId: created.id, password: created.password });
    try {
      let count = 0;
      let income = 0;
      for await (const transaction of iterateTransactions(user, { perPage: 20 })) {
        count++;
        if (transaction.amount > 0) income += transaction.amount;
      }
      return { result: `${count} transactions, income ${income.toFixed(2)} EUR` };
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
    const { connections } = await client.unwrap(client.GET("/api/v2/bankConnections"));
    return { result: `process user has ${connections.length} bank connection(s)` };
  },
};

export const finapiFlows: Flow[] = [userFlow, processFlow];

// @x/finapi over the sandbox: a user call with a warm token (compare with sandbox.bench's bare round trip),
// a cold user (password grant + call), and one paged walk over 500 transactions.
import { createFinapiClient, iterateTransactions } from "@x/finapi";
import { startSandbox } from "@x/sandbox";
import { measure } from "./lib.mjs";

export default async function () {
  const sandbox = await startSandbox({ providers: ["finapi"], options: { finapi: { transactionsPerUser: 500 } } });
  const url = sandbox.urls.finapi;
  const { clientId, clientSecret, userId, userPassword } = sandbox.provider("finapi").demoCredentials;
  const finapi = createFinapiClient({ clientId, clientSecret, accessUrl: url, processControllerUrl: url });
  try {
    const warm = finapi.forUser({ userId, password: userPassword });
    const rows = [
      await measure("user call, warm token", () => warm.unwrap(warm.GET("/api/v2/users")), {
        iterations: 500,
        warmup: 50,
      }),
    ];
    // A fresh client each time: empty cache, so every iteration pays the password grant.
    rows.push(
      await measure(
        "cold user: password grant + call",
        () => {
          const user = createFinapiClient({
            clientId,
            clientSecret,
            accessUrl: url,
            processControllerUrl: url,
          }).forUser({ userId, password: userPassword });
          return user.unwrap(user.GET("/api/v2/users"));
        },
        { iterations: 200, warmup: 20 },
      ),
    );
    rows.push(
      await measure(
        "500 transactions, perPage 100 (5 pages)",
        async () => {
          let n = 0;
          for await (const _ of iterateTransactions(warm, { perPage: 100 })) n++;
          if (n !== 500) throw new Error(`expected 500 transactions, got ${n}`);
        },
        { iterations: 50, warmup: 5 },
      ),
    );
    return rows;
  } finally {
    await sandbox.close();
  }
}

import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createSaltEdgeClient, verifyCallback, type SaltEdgeClient } from "@x/saltedge/v3";
import type { Flow } from "./types.js";

/**
 * The v3 row (the "@x/saltedge/v3" entry, on the "saltedge-v3" emulator): Salt Edge's v3 journey across its three
 * header levels: create a customer (app level), create a
 * login at the fake bank with the customer's secret, page through the login's transactions
 * with its login secret, and verify the signed callback Salt Edge sends about the login.
 * Every request is signed with the app's RSA key. Against the real API, callbacks go to the
 * URL set in the dashboard, which this process cannot receive, so that step is skipped.
 */
export const saltedgeV3Flow: Flow = {
  provider: "saltedge-v3",
  name: "v3: customer + login -> transactions, callback",
  realEnv: ["SALTEDGE_CLIENT_ID", "SALTEDGE_APP_SECRET"],
  async run({ sandboxUrl, demoCredentials, real, env }) {
    const app = createSaltEdgeClient(
      real
        ? {
            clientId: env.SALTEDGE_CLIENT_ID ?? "",
            appSecret: env.SALTEDGE_APP_SECRET ?? "",
            ...(env.SALTEDGE_PRIVATE_KEY ? { privateKey: env.SALTEDGE_PRIVATE_KEY } : {}),
            ...(env.SALTEDGE_BASE_URL ? { baseUrl: env.SALTEDGE_BASE_URL } : {}),
          }
        : {
            clientId: demoCredentials.clientId ?? "",
            appSecret: demoCredentials.appSecret ?? "",
            privateKey: demoCredentials.privateKey ?? "",
            baseUrl: sandboxUrl,
          },
    );
    const receiver = real ? undefined : await callbackReceiver(app);
    try {
      const customer = await app.customers.create({ identifier: `aggregator-demo-${Date.now()}` });
      const customerClient = app.forCustomer(customer.secret);
      const login = await customerClient.login.create({
        country_code: "XF",
        provider_code: "fakebank_simple_xf",
        fetch_type: "recent",
        credentials: { login: "username", password: "secret" },
      });
      const loginClient = customerClient.forLogin(login.secret ?? "");
      let transactions = 0;
      let total = 0;
      for await (const tx of loginClient.transactions.list()) {
        transactions++;
        total += tx.amount;
      }
      let callback = "callback skipped (real API)";
      if (receiver) {
        const received = await receiver.next;
        const payload = await verifyCallback(received, demoCredentials.callbackPublicKey ?? "");
        callback = `callback verified for login ${payload.data.login_id}`;
      }
      await app.customers.remove({ customer_id: customer.id });
      return { result: `${transactions} transactions (sum ${total.toFixed(2)}), ${callback}` };
    } finally {
      await receiver?.close();
    }
  },
};

/** A local HTTP server registered as the sandbox's callback URL; `next` resolves with the first callback. */
async function callbackReceiver(app: SaltEdgeClient) {
  let resolve: (value: { url: string; body: Uint8Array; signature: string | undefined }) => void = () => {};
  const next = new Promise<{ url: string; body: Uint8Array; signature: string | undefined }>((r) => (resolve = r));
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      res.writeHead(200).end();
      resolve({
        url,
        body: new Uint8Array(Buffer.concat(chunks)),
        signature: req.headers.signature as string | undefined,
      });
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/saltedge/callback`;
  // The sandbox's stand-in for the dashboard's callback URL setting (not part of Salt Edge's API).
  const response = await app.fetch(`${app.baseUrl}/dashboard/callback_url`, {
    method: "PUT",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ data: { url } }),
  });
  if (!response.ok) throw new Error(`could not set the sandbox callback URL (${response.status})`);
  const timeout = new Promise<never>((_, reject) =>
    setTimeout(() => reject(new Error("no callback within 5 s")), 5000).unref(),
  );
  return {
    next: Promise.race([next, timeout]),
    close: () => new Promise<void>((r) => (server.closeAllConnections(), server.close(() => r()))),
  };
}

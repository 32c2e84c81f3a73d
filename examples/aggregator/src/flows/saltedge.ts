import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createSaltEdgeClient, verifyCallback, type SaltEdgeCallbackKind, type SaltEdgeClient } from "@x/saltedge";
import { saltedgeV3Flow } from "./saltedge-v3.js";
import type { Flow } from "./types.js";

/**
 * Salt Edge's API v6 (the "@x/saltedge" main entry) through its generated methods, every request signed with the
 * app's RSA key: create a customer,
 * open a connect session, log in at the sandbox's fake bank as the end user would at `connect_url`, verify the signed
 * success callback that names the new connection, list its accounts, page through its transactions, and remove the
 * customer. Against the real API the end user's login and the dashboard's callbacks are out of this process's reach,
 * so the flow stops after the connect session and removes the customer.
 */
export const saltedgeV6Flow: Flow = {
  provider: "saltedge",
  name: "v6: customer -> connect session -> login -> callback -> accounts, transactions by page",
  realEnv: ["SALTEDGE_APP_ID", "SALTEDGE_SECRET", "SALTEDGE_PRIVATE_KEY_PATH"],
  async run({ sandboxUrl, demoCredentials, real, env }) {
    const client = createSaltEdgeClient(
      real
        ? {
            appId: env.SALTEDGE_APP_ID ?? "",
            secret: env.SALTEDGE_SECRET ?? "",
            privateKey: readFileSync(env.SALTEDGE_PRIVATE_KEY_PATH ?? "", "utf8"),
            ...(env.SALTEDGE_BASE_URL ? { baseUrl: env.SALTEDGE_BASE_URL } : {}),
          }
        : {
            appId: demoCredentials.appId ?? "",
            secret: demoCredentials.secret ?? "",
            privateKey: demoCredentials.privateKey ?? "",
            baseUrl: sandboxUrl,
          },
    );
    const receiver = real ? undefined : await callbackReceiver(client);
    const customer = await client.customers.create({ identifier: `aggregator-demo-${Date.now()}` });
    try {
      const session = await client.connections.connect({
        customer_id: customer.id,
        consent: { scopes: ["accounts", "transactions"] },
        attempt: { return_to: "https://example.com/done", fetch_scopes: ["accounts", "transactions"] },
        provider: { include_sandboxes: true },
      });
      if (!receiver) return { result: "connect session opened (real API: the end user logs in at connect_url)" };

      // The sandbox's fake bank, as the page at connect_url would post the end user's login (sandbox only).
      const login = await fetch(session.connect_url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ login: "username", password: "secret" }),
      });
      if (!login.ok) throw new Error(`the sandbox bank login failed (${login.status})`);
      const event = await verifyCallback(await receiver.next, demoCredentials.callbackPublicKey ?? "");
      if (event.kind !== "success" || event.data.stage !== "finish") {
        throw new Error(`expected a finished success callback, got ${event.kind}`);
      }
      const connectionId = event.data.connection_id;
      const accounts = await client.accounts.list({ connection_id: connectionId }).collect();
      let pages = 0;
      let transactions = 0;
      let total = 0;
      for await (const page of client.transactions.list({ connection_id: connectionId }).pages()) {
        pages++;
        transactions += page.length;
        total += page.reduce((sum, tx) => sum + tx.amount, 0);
      }
      return {
        result:
          `callback verified (success, finish), ${accounts.length} accounts, ${transactions} transactions in ` +
          `${pages} pages (sum ${total.toFixed(2)}), customer removed`,
      };
    } finally {
      await client.customers.remove({ customer_id: customer.id });
      await receiver?.close();
    }
  },
};

/** Salt Edge's flows in table order: v6 (the main entry), then the v3 row. */
export const saltedgeFlows: Flow[] = [saltedgeV6Flow, saltedgeV3Flow];

interface ReceivedCallback {
  kind: SaltEdgeCallbackKind;
  url: string;
  body: Uint8Array;
  signature: string | undefined;
}

/**
 * A local HTTP server registered as the sandbox's callback URL (each kind arrives at `<url>/<kind>`); `next`
 * resolves with the first success or fail callback.
 */
async function callbackReceiver(client: SaltEdgeClient) {
  let resolve: (value: ReceivedCallback) => void = () => {};
  const next = new Promise<ReceivedCallback>((r) => (resolve = r));
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      res.writeHead(200).end();
      const kind = (req.url ?? "").split("/").pop() as SaltEdgeCallbackKind;
      if (kind !== "success" && kind !== "fail") return;
      const signature = req.headers.signature as string | undefined;
      resolve({ kind, url: `${base}/${kind}`, body: new Uint8Array(Buffer.concat(chunks)), signature });
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/saltedge/callbacks`;
  // The sandbox's stand-in for the dashboard's callback URL setting (not part of Salt Edge's API).
  const response = await client.fetch(`${client.baseUrl}/dashboard/callback_url`, {
    method: "PUT",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ data: { url: base } }),
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

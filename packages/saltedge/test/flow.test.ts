import { json, type RecordedRequest, startEmulator, startTestServer, type TestServer } from "@x/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyCallback, type SaltEdgeCallbackEvent } from "../src/index.js";
import { sandboxClient, type SaltEdgeEmulator } from "./helpers.js";

let receiver: TestServer;
let sandbox: SaltEdgeEmulator;
let callbackBase: string;
beforeAll(async () => {
  receiver = await startTestServer((_req, res) => json(res, 200, {}));
  callbackBase = `${receiver.url}/saltedge/callbacks`;
  sandbox = await startEmulator("saltedge", { callbackUrl: callbackBase, pageSize: 10 });
});
afterAll(async () => {
  await sandbox.close();
  await receiver.close();
});

/** The callbacks the receiver got so far, each verified with the emulator's public key and typed by its URL. */
async function verifiedCallbacks(): Promise<SaltEdgeCallbackEvent[]> {
  return Promise.all(
    receiver.requests.map((request: RecordedRequest) => {
      const kind = request.path.split("/").pop() as SaltEdgeCallbackEvent["kind"];
      const signature = String(request.headers.signature);
      const url = `${receiver.url}${request.url}`;
      return verifyCallback({ kind, url, body: request.body, signature }, sandbox.handle.control.callbackPublicKey);
    }),
  );
}

/** The end user's login at the fake bank: what the page at `connect_url` posts (sandbox only). */
async function bankLogin(connectUrl: string, password = "secret") {
  const response = await fetch(connectUrl, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ login: "username", password }),
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { data: { connection_id: string; status: string } }).data;
}

describe("v6 flow against the emulator", () => {
  it("customer -> connect session -> bank login -> verified callback -> accounts -> transactions by page", async () => {
    const client = sandboxClient(sandbox);
    const { data: customer } = await client.unwrap(
      client.POST("/customers", { body: { data: { identifier: `flow-${Date.now()}` } } }),
    );
    const { data: session } = await client.unwrap(
      client.POST("/connections/connect", {
        body: {
          data: {
            customer_id: customer.id,
            consent: { scopes: ["accounts", "transactions"] },
            attempt: { return_to: "https://app.example/done", fetch_scopes: ["accounts", "transactions"] },
            provider: { include_sandboxes: true },
          },
        },
      }),
    );
    expect(session.connect_url).toMatch(/\/connect\/[\w-]+$/);
    const login = await bankLogin(session.connect_url);
    expect(login.status).toBe("success");

    const [event] = await verifiedCallbacks();
    expect(event?.kind).toBe("success");
    if (event?.kind !== "success") throw new Error("expected a success callback");
    expect(event.data).toMatchObject({ connection_id: login.connection_id, customer_id: customer.id, stage: "finish" });
    expect(event.meta.version).toBe("6");

    const connectionId = event.data.connection_id;
    const connections = await client.paginate("/connections", { customer_id: customer.id }).collect();
    expect(connections.map((c) => c.id)).toEqual([connectionId]);
    const consents = await client.paginate("/consents", { connection_id: connectionId }).collect();
    expect(consents[0]?.scopes).toEqual(["accounts", "transactions"]);

    const accounts = await client.paginate("/accounts", { connection_id: connectionId }).collect();
    expect(accounts).toHaveLength(2);
    let pages = 0;
    let posted = 0;
    for await (const page of client.paginate("/transactions", { connection_id: connectionId }).pages()) {
      pages++;
      posted += page.length;
    }
    // 2 accounts x 22 posted transactions, 10 a page.
    expect(posted).toBe(44);
    expect(pages).toBe(5);
    const pending = await client.paginate("/transactions", { connection_id: connectionId, pending: true }).collect();
    expect(pending).toHaveLength(6);
    expect(pending.every((t) => t.status === "pending")).toBe(true);
    const firstAccount = accounts[0]?.id as string;
    const own = await client
      .paginate("/transactions", { connection_id: connectionId, account_id: firstAccount })
      .collect();
    expect(own).toHaveLength(22);
    expect(own.every((t) => t.account_id === firstAccount)).toBe(true);

    // A refresh is a new connect session on the same connection; finishing it keeps the connection's id.
    const { data: refresh } = await client.unwrap(
      client.POST("/connections/{connection_id}/refresh", {
        params: { path: { connection_id: connectionId } },
        body: { data: { attempt: { fetch_scopes: ["accounts", "transactions"] } } },
      }),
    );
    expect((await bankLogin(refresh.connect_url)).connection_id).toBe(connectionId);

    receiver.requests.length = 0;
    await client.unwrap(client.DELETE("/customers/{customer_id}", { params: { path: { customer_id: customer.id } } }));
    const [destroyed] = await verifiedCallbacks();
    expect(destroyed).toMatchObject({ kind: "destroy", data: { connection_id: connectionId } });
    const gone = await client.GET("/connections/{connection_id}", {
      params: { path: { connection_id: connectionId } },
    });
    expect(gone.response.status).toBe(404);
    expect(gone.error).toMatchObject({ error: { class: "ConnectionNotFound" } });
  });

  it("a wrong password at the bank ends in a verified fail callback", async () => {
    receiver.requests.length = 0;
    const client = sandboxClient(sandbox);
    const { data: customer } = await client.unwrap(
      client.POST("/customers", { body: { data: { identifier: `fail-${Date.now()}` } } }),
    );
    const { data: session } = await client.unwrap(
      client.POST("/connections/connect", {
        body: { data: { customer_id: customer.id, consent: { scopes: ["accounts"] } } },
      }),
    );
    expect((await bankLogin(session.connect_url, "wrong")).status).toBe("fail");
    const [event] = await verifiedCallbacks();
    if (event?.kind !== "fail") throw new Error("expected a fail callback");
    expect(event.data.error_class).toBe("InvalidCredentials");
    // The session was single use.
    const again = await fetch(session.connect_url, { method: "POST", body: "{}" });
    expect(again.status).toBe(404);
  });
});
